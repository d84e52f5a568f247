// YASGUI against this server's endpoint, with our prefixes and the saved queries as examples.
(function () {
  const config = window.AIGOV_UI;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    yasqe: { value: config.examples.length ? config.examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" },
  });
  window.__aigovYasgui = yasgui;  // for tests and the browser console
  const tab = yasgui.getTab();
  tab.getYasqe().addPrefixes(config.prefixes);
  const select = document.getElementById("examples");
  config.examples.forEach(function (example, i) {
    const option = document.createElement("option");
    option.value = String(i);
    option.textContent = example.summary || example.name;
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    if (select.value === "") return;
    yasgui.getTab().setQuery(config.examples[Number(select.value)].query);
  });
  // Accessibility repairs YASGUI does not make itself (re-applied whenever it redraws): names for its text
  // fields, a keyboard-reachable editor scroller, and a tab list whose "add tab" button is not a tab.
  const lang = document.documentElement.lang;
  function repair() {
    document.querySelectorAll("#yasgui .autocomplete").forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", lang === "zh" ? "SPARQL 端点" : "SPARQL endpoint");
    });
    document.querySelectorAll("#yasgui textarea").forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", lang === "zh" ? "SPARQL 查询" : "SPARQL query");
    });
    document.querySelectorAll("#yasgui .CodeMirror-scroll").forEach(function (el) {
      if (el.getAttribute("tabindex") !== "0") el.setAttribute("tabindex", "0");
    });
    document.querySelectorAll("#yasgui .tabsList[role=tablist]").forEach(function (el) {
      el.removeAttribute("role");
      el.querySelectorAll("[role=tab]").forEach(function (tab) { tab.removeAttribute("role"); tab.removeAttribute("aria-selected"); });
    });
  }
  repair();
  new MutationObserver(repair).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  // Links to our own resources open their pages on this server, not on w3id.org.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='https://w3id.org/aigov/']");
    if (!link) return;
    event.preventDefault();
    window.location.href = link.getAttribute("href").replace("https://w3id.org/aigov/", "/");
  });
})();
