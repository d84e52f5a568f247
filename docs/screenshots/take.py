"""Retake the README's screenshots from a running server: python docs/screenshots/take.py http://127.0.0.1:8000"""
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

SHOTS = {"home.png": ("/?lang=en", 1200), "instrument.png": ("/page/id/instrument/eu-ai-act?lang=en", 1200),
         "query.png": ("/queries/show-jurisdiction-timeline?lang=en&jurisdiction=Korea", 1200),
         "instrument-phone-zh.png": ("/page/id/instrument/eu-ai-act?lang=zh", 390)}

base = sys.argv[1].rstrip("/")
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox"])
    for name, (path, width) in SHOTS.items():
        page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
        page.goto(base + path)
        page.wait_for_load_state("load")
        page.screenshot(path=str(Path(__file__).parent / name), full_page=False)
        page.close()
    browser.close()
