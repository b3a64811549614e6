"""The page's two languages: each fixed text has its Korean, and each message the server writes reads in Korean.

The messages are the real ones: every field of the built page fed bad values, the handlers fed
bad arguments, a bad link read. They are translated by fashion_gan/translate.js itself, in Node.
"""

import json
import math
import re
import shutil
import subprocess

import gradio as gr
import numpy as np
import pytest
import torch

from conftest import ROOT
from fashion_gan import fields, links, words
from fashion_gan.demo import Demo

HANGUL = re.compile("[\uac00-\ud7a3]")


def test_every_phrase_and_template_has_its_korean():
    for english, korean in {**words.PHRASES, **words.CLASSES_KO}.items():
        assert HANGUL.search(korean) or english == "🌐 한국어", english  # the switch's Korean names English
    for english, korean in words.TEMPLATES:
        assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", korean)), english
        assert HANGUL.search(korean) or english in ("{first} · {rest}", "{what} ({why})"), english
    with pytest.raises(KeyError, match="no Korean for 'Hat'"):
        words._("Hat")


@pytest.fixture(scope="module")
def page(tiny_generators):
    import app  # builds the page the visitors see (with the shipped weights); this test builds one on tiny ones
    model = Demo(tiny_generators / "cgan", tiny_generators / "gan", torch.device("cpu"))
    return app.build(model, "http://127.0.0.1:7860/"), model


def messages(page) -> list[str]:
    """What the server says to bad input: from every field of the page, the handlers, and a link."""
    blocks, model = page
    said = []
    page_fields = [b for b in blocks.blocks.values() if isinstance(b, (fields.Number, fields.Slider, fields.Dropdown,
                                                                       fields.Radio, fields.Textbox, fields.Checkbox))]
    assert len(page_fields) > 20
    for field in page_fields:
        for bad in ("", "abc", math.nan, True, [1], 10**12, -(10**12), 1.5, "Hat"):
            try:
                field.preprocess(bad)
            except gr.Error as e:
                said.append(e.message)
    for call in (lambda: model.generate("Bag", None), lambda: model.generate("Bag", 1, 9), lambda: model.gan_image(-1),
                 lambda: model.interpolate("Bag", 1, 2, 4, "cubic"), lambda: model.walk("Bag", "3, x", 4, "slerp"),
                 lambda: model.walk("Bag", "9-3", 4, "slerp"), lambda: model.walk("Bag", "1, 2, 3, 4, 5", 60, "slerp"),
                 lambda: model.walk("Bag", "", 4, "slerp"), lambda: model.seed_map("Bag", 2**31, 0),
                 lambda: model.generate("Bag", 1, 0, 1, "chapter"), lambda: model.timelapse("attic", 1),
                 lambda: model.timelapse("cgan", 0), lambda: model.timelapse("gan", 1),
                 lambda: model.project(None), lambda: model.from_code("Bag", "z1.abc"),
                 lambda: model.from_code("Bag", "seed 3"), lambda: model.walk("Bag", "3, z1.!!", 2),
                 lambda: model.find({"composite": np.zeros((50, 50, 4), np.uint8)}, "auto"),
                 lambda: model.neighbours(np.full((28, 28), 200, np.uint8)),
                 lambda: model.project(np.zeros((2, 2, 2, 2)), "auto"), lambda: fields.PictureData.model_validate("")):
        with pytest.raises(gr.Error) as e:
            call()
        said.append(e.value.message)
    ignored = links.read({"tab": "walk", "seeds": "5-", "steps": "1.5", "class": "Hat", "colour": "red"})[2]
    said.append(f"Ignored in this link: {' · '.join(ignored)}")
    said.append(f"Ignored in this link: {' · '.join(links.read({'tab': 'attic'})[2])}")
    said.append(f"Ignored in this link: {' · '.join(links.read({'tab': 'training', 'run': 'x', 'epoch': '0'})[2])}")
    said.append(f"Ignored in this link: {' · '.join(links.read({'tab': 'generate', 'network': 'x'})[2])}")
    said.append(f"Ignored in this link: {' · '.join(links.read({'tab': 'generate', 'code': 'z1.@'})[2])}")
    picture = np.full((28, 28), 100, np.uint8)
    picture[5:20, 8:20] = 250
    said.append(model.find(picture, "auto")[2])
    said.append(model.find(picture, "auto", "gan")[2])
    said += [model.training_summary("cgan", 3), model.training_summary("cgan", 1)]
    return said


def translated(texts: list[str]) -> list[str]:
    """`texts` through translate.js's translator, in Node, with the catalogue the page gets."""
    if not shutil.which("node"):
        pytest.skip("no node (Debian: apt-get install nodejs)")
    catalogue = words.head().split("window.fashionGanWords = ", 1)[1].split(";\n", 1)[0]
    script = (f"require('vm').runInThisContext(require('fs').readFileSync({json.dumps(str(ROOT / 'fashion_gan/translate.js'))}, 'utf8'));"
              f"const translate = globalThis.fashionGanTranslator({catalogue});"
              f"process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8')).map(translate)));")
    run = subprocess.run(["node", "-e", script], input=json.dumps(texts), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_every_message_the_server_writes_reads_in_korean(page):
    said = messages(page)
    assert len(said) > 150
    for english, korean in zip(said, translated(said)):
        assert HANGUL.search(korean), english
        name = english.split(" must be")[0]  # the field a message names is named in Korean too
        if " must be" in english and not name.startswith("map "):
            assert not korean.startswith(name), (english, korean)


def test_translations_of_known_messages():
    english = ["Seed must be a whole number from 0 to 2,147,483,647, got 1.5",
               "Class must be one of: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot; "
               "got 'Hat'",
               "Ignored in this link: seed=abc (not a number) · colour (not a parameter of the generate view)",
               "(the nearest seed is 1,234)", "seed 17", "Bag", "Reproduce it", "anything else stays as it was"]
    assert translated(english) == [
        "시드: 0부터 2,147,483,647까지의 정수여야 합니다 (받은 값: 1.5)",
        "클래스: 다음 중 하나여야 합니다: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, "
        "Ankle boot (받은 값: 'Hat')",
        "이 링크에서 쓸 수 없어 무시한 것: seed=abc (숫자가 아님) · colour (generate 화면의 매개변수가 아님)",
        "(가장 가까운 시드: 1,234)", "시드 17", "가방", "다시 만들기", "anything else stays as it was"]


def test_every_label_of_the_page_is_in_both_languages(page):
    """No English left untranslated: each label, tab and button of the page is a catalogue text."""
    blocks, _ = page
    texts = 0
    for block in blocks.blocks.values():
        if not getattr(block, "visible", True):
            continue  # the API's hidden buttons and pictures
        for attribute in ("label", "value", "placeholder"):
            text = getattr(block, attribute, None)
            if attribute == "value" and not isinstance(block, (gr.Button, gr.Markdown)):
                continue
            shown_translated = not isinstance(text, str) or text.startswith("__i18n__")  # I18nData, or a Button's
            if text and not shown_translated and re.search("[A-Za-z]{3}", text) and not isinstance(block, gr.Markdown):
                pytest.fail(f"{type(block).__name__} {attribute} {text!r} is not in fashion_gan/words.py")
            texts += text is not None and shown_translated
    assert texts > 60
