// Sortable, filterable result tables. Without JavaScript they stay plain tables; with it, a header sorts its
// column (again: the other way) and a text box above the table hides the rows that do not contain its text.
(function () {
  function cellText(row, i) { return (row.cells[i] && row.cells[i].textContent || "").trim(); }
  function compare(a, b) {
    const x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b, undefined, { numeric: true });
  }
  document.querySelectorAll("table.sortable").forEach(function (table, n) {
    const body = table.tBodies[0];
    if (!body) return;
    const label = document.documentElement.lang === "zh" ? "筛选表格" : "Filter the table";
    const box = document.createElement("p");
    box.className = "table-filter";
    const id = "table-filter-" + n;
    box.innerHTML = '<label for="' + id + '"></label> <input type="search" id="' + id + '">';
    box.firstChild.textContent = label;
    const container = table.closest(".table-box") || table;
    container.parentNode.insertBefore(box, container);
    const input = box.querySelector("input");
    input.addEventListener("input", function () {
      const needle = input.value.trim().toLowerCase();
      Array.from(body.rows).forEach(function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
    Array.from(table.tHead ? table.tHead.rows[0].cells : []).forEach(function (th, i) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.from(table.tHead.rows[0].cells).forEach(function (c) { c.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const rows = Array.from(body.rows);
        rows.sort(function (a, b) { return (ascending ? 1 : -1) * compare(cellText(a, i), cellText(b, i)); });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
