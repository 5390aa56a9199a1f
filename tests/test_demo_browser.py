"""The demo page in a real browser: headless Chromium (Debian's chromium + chromium-driver, driven by Selenium)
opens the running demo, types an English and a Chinese sentence, submits each, and reads the highlighted
entities from the page: they must be ``Tagger.tag_text``'s. A screenshot goes to build/test-output/.

Skipped, with the reason, where Chromium, its driver, Gradio or Selenium is missing (``.ci/run`` installs them).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import tempfile

import pytest
import torch

from helpers.inference import Tagger
from helpers.labels import NER_LABELS

from .conftest import REPO, build_tiny_checkpoint

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,1400")  # fmt: skip
OUTPUT = REPO / "build" / "test-output"
SENTENCES = ["peter blackburn said paris . london club won the league", "张三在北京的清华大学工作。"]


def _missing() -> str | None:
    if CHROMIUM is None or DRIVER is None:
        return "Chromium and its driver are not installed (apt-get install chromium chromium-driver)"
    for module, package in (("gradio", "gradio"), ("selenium", "selenium")):
        if importlib.util.find_spec(module) is None:
            return f"{package} is not installed (pip install -e '.[test]')"
    return None


if _missing():
    pytest.skip(_missing(), allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> str:
    """A tiny random BERT with the CoNLL-2003 NER labels: its entities are arbitrary but deterministic."""
    torch.manual_seed(1)
    return str(build_tiny_checkpoint(tmp_path_factory.mktemp("demo-model"), labels=NER_LABELS))


@pytest.fixture(scope="module")
def server(model_dir):
    from helpers.demo import launch

    port = _free_port()
    app = launch(model_dir, port=port, block=False)
    yield f"http://127.0.0.1:{port}/"
    app.close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


# HighlightedText renders every piece of the text in a .token; entities are .token.highlighted with a .label
READ_ENTITIES = """
const tokens = [...document.querySelectorAll('#entities .textfield .token')];
const text = tokens.map(t => t.querySelector('.text').textContent).join('');
const entities = tokens.filter(t => t.classList.contains('highlighted')).map(
    t => [t.querySelector('.text').textContent, t.querySelector('.label').textContent.trim()]);
return {text: text, entities: entities};
"""


def _tag_on_page(driver, text: str) -> list[tuple[str, str]]:
    """Type ``text``, press Tag, wait until the page shows its result; the highlighted (text, type) pairs."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = driver.find_element(By.CSS_SELECTOR, "#text-input textarea")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)
    driver.find_element(By.CSS_SELECTOR, "#tag-button").click()

    def result(d):  # read in one script: the page re-renders while it updates
        return d.execute_script(READ_ENTITIES)

    WebDriverWait(driver, 30).until(lambda d: result(d)["text"] == text)  # the whole text is rendered
    return [tuple(pair) for pair in result(driver)["entities"]]


def test_page_shows_the_taggers_entities_in_english_and_chinese(server, browser, model_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    tagger = Tagger.from_pretrained(model_dir)  # as the server loads it
    browser.get(server)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#text-input textarea"))
    found = {}
    for text in SENTENCES:
        found[text] = _tag_on_page(browser, text)
        (expected,) = tagger.tag_text(text)
        assert found[text] == [(e.text, e.type) for e in expected.entities], text
        if text == SENTENCES[0]:
            OUTPUT.mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(OUTPUT / "demo_english.png"))
    assert any(found.values()), "the stand-in model found no entity at all: the comparison would be empty"
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "B-PER" in page and "Checkpoint" in page  # label set and checkpoint shown
    browser.save_screenshot(str(OUTPUT / "demo_chinese.png"))
    assert (OUTPUT / "demo_chinese.png").stat().st_size > 10_000


def test_server_keeps_serving_after_an_empty_and_a_huge_input(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#text-input textarea"))
    box = browser.find_element(By.CSS_SELECTOR, "#text-input textarea")
    browser.find_element(By.CSS_SELECTOR, "#tag-button").click()
    WebDriverWait(browser, 30).until(lambda d: "Type or paste" in d.find_element(By.ID, "message").text)
    browser.execute_script(  # a 20,000-character paste, set at once as a paste would
        "const el = arguments[0]; el.value = arguments[1]; el.dispatchEvent(new Event('input', {bubbles: true}));",
        box, "peter said paris . " * 1053,
    )  # fmt: skip
    browser.find_element(By.CSS_SELECTOR, "#tag-button").click()
    WebDriverWait(browser, 60).until(lambda d: "The text is long" in d.find_element(By.ID, "message").text)
    assert _tag_on_page(browser, "london club") is not None  # still answering
