"""The page's words in English and Korean: one catalogue for what the page says.

The page is written in English, and each English text is its own key. Two kinds of text:

- PHRASES: fixed text (labels, tabs, buttons, explanations, class names). app.py wraps each in
  `_()`, and Gradio's I18n shows it in the browser's language (or the one chosen with the page's
  language button, or in Gradio's Settings).
- TEMPLATES: text the server writes while the page runs (error messages, the link notice, the
  map's position line, gallery captions), with values in it. The server writes English, because
  API and MCP clients read it too; the page translates it in the browser (fashion_gan/translate.js)
  by matching these patterns, so it follows a language switch without asking the server again.
  A {name} in a pattern matches any text, and that text is translated in turn (a field name, a
  reason), so "Seed must be ..." becomes "시드: ...".

Korean follows the terms of the textbook chapter this project grew from: 생성자 (generator),
판별자 (discriminator), 조건부 GAN (conditional GAN), 잠재 공간 (latent space).
"""

import json
from pathlib import Path

import gradio as gr
from gradio.i18n import I18nData

from .data import CLASS_NAMES
from .demo import GALLERY_SEEDS
from .latent import ROW

LANGUAGES = ("en", "ko")

CLASSES_KO = dict(zip(CLASS_NAMES, ("티셔츠/탑", "바지", "풀오버", "드레스", "코트", "샌들", "셔츠", "스니커즈", "가방",
                                    "앵클 부츠")))

PHRASES: dict[str, str] = {
    # the page's frame
    "# fashion-gan\nA class-conditional GAN trained on Fashion-MNIST. Pick a class and a seed (the same seed always "
    "gives the same picture), then wander its latent space.":
        "# fashion-gan\nFashion-MNIST로 학습한 조건부 GAN입니다. 클래스와 시드를 고르고(같은 시드는 언제나 같은 그림을 "
        "만듭니다) 잠재 공간을 거닐어 보세요.",
    "🌐 한국어": "🌐 English",  # the language button names the other language
    "Device:": "장치:",
    "· model:": "· 모델:",
    "Reproduce it": "다시 만들기",
    "🔗 Copy link to this view": "🔗 이 화면의 링크 복사",
    "a link that opens this view with these values": "이 값으로 이 화면을 여는 링크",
    # fields shared by the views (and their names in error messages)
    "Class": "클래스",
    "Seed": "시드",
    "seed": "시드",
    "🎲 Random": "🎲 무작위",
    "Nearby seeds (drag: one step is one seed)": "가까운 시드 (끌기: 한 칸이 시드 하나)",
    "Nearby seeds": "가까운 시드",
    "Truncation (0 = off; lower = more typical)": "트렁케이션 (0 = 끔; 낮을수록 더 전형적)",
    "Truncation (0 = off)": "트렁케이션 (0 = 끔)",
    "Truncation": "트렁케이션",
    "truncation": "트렁케이션",
    "0 (off)": "0(끔)",
    "Steps": "단계 수",
    "steps": "단계 수",
    "Method": "방법",
    "method": "방법",
    "Generated": "생성된 그림",
    "Animation": "애니메이션",
    "Frames": "프레임",
    "Animated GIF": "움직이는 GIF",
    # Generate
    "Generate": "생성",
    "Count (seeds S, S+1, …)": "개수 (시드 S, S+1, …)",
    "Count": "개수",
    "count": "개수",
    "Batch download (.npz, up to 10,000 images)": "한꺼번에 내려받기 (.npz, 최대 10,000장)",
    "Images (seeds S, S+1, …)": "그림 수 (시드 S, S+1, …)",
    "Images": "그림 수",
    "Make the batch": "묶음 만들기",
    "images, labels, seeds (numpy .npz)": "그림, 레이블, 시드 (numpy .npz)",
    "Native 28×28 PNG": "원래 크기 28×28 PNG",
    # Interpolate
    "Interpolate": "보간",
    "**Noise interpolation**: one class, the latent walking from seed A to seed B.":
        "**잡음 보간**: 한 클래스에서 잠재 벡터가 시드 A에서 시드 B로 걸어갑니다.",
    "Seed A": "시드 A",
    "Seed B": "시드 B",
    "seed A": "시드 A",
    "seed B": "시드 B",
    "**Class morph**: one seed, the label embedding moving from class A to class B.":
        "**클래스 모핑**: 시드 하나에서 레이블 임베딩이 클래스 A에서 클래스 B로 옮겨 갑니다.",
    "Class A": "클래스 A",
    "Class B": "클래스 B",
    "Morph": "모핑",
    # Walk
    "Walk": "걷기",
    "A looping walk through keyframe seeds and back to the first, with no jump.":
        "키프레임 시드들을 지나 첫 시드로 끊김 없이 돌아오는, 되풀이되는 걷기입니다.",
    "Keyframe seeds (e.g. 3, 17, 42-45)": "키프레임 시드 (예: 3, 17, 42-45)",
    "Keyframe seeds": "키프레임 시드",
    "seeds": "시드 목록",
    "Frames from one keyframe to the next": "키프레임 사이의 프레임 수",
    "All ten classes walk the same latents": "열 클래스 모두 같은 잠재 벡터로 걷기",
    "Keyframes": "키프레임",
    # Seed map
    "Seed map": "시드 지도",
    f"Every point (x, y) of the plane is a latent. Integer points are seeds: (x, y) is seed x + {ROW}·y, so (x, 0) is "
    f"seed x. Between them the four neighbouring seeds' latents are blended (bilinear weights, rescaled to a standard "
    f"normal's spread). Click anywhere on the map.":
        f"평면의 모든 점 (x, y)가 잠재 벡터입니다. 정수 점은 시드입니다: (x, y)는 시드 x + {ROW}·y이고, (x, 0)은 시드 "
        f"x입니다. 그 사이에서는 이웃한 네 시드의 잠재 벡터를 섞습니다(쌍선형 가중치, 표준 정규 분포의 퍼짐으로 다시 "
        f"맞춤). 지도 어디든 눌러 보세요.",
    "Left x": "왼쪽 x",
    "Top y": "위쪽 y",
    "Seed map (click a point)": "시드 지도 (점을 누르세요)",
    "Position: click the map": "위치: 지도를 누르세요",
    "Position:": "위치:",
    "At that point": "그 점의 그림",
    "map x": "지도 x",
    "map y": "지도 y",
    # Directions
    "Directions": "방향",
    "Slide a seed along the generator's principal latent directions (SeFa: the eigenvectors of WᵀW for the first "
    "layer W that the latent feeds; 0 is the strongest). The class stays fixed.":
        "시드를 생성자의 주요 잠재 방향으로 밀어 봅니다(SeFa: 잠재 벡터가 들어가는 첫 층 W에 대한 WᵀW의 고유벡터; "
        "0이 가장 강한 방향). 클래스는 그대로입니다.",
    "Direction (0 = strongest)": "방향 (0 = 가장 강함)",
    "Direction": "방향 번호",
    "direction": "방향 번호",
    "Amount (standard deviations)": "크기 (표준편차 단위)",
    "Amount": "크기",
    "amount": "크기",
    "Edited": "바뀐 그림",
    "That direction at −3 … +3": "그 방향의 −3 … +3",
    "Edit": "바꾸기",
    # Browse seeds, All classes
    "Browse seeds": "시드 둘러보기",
    f"{GALLERY_SEEDS} seeds of one class. Click one to open it in Generate.":
        f"한 클래스의 시드 {GALLERY_SEEDS}개입니다. 하나를 누르면 생성 탭에서 열립니다.",
    "First seed": "첫 시드",
    "first seed": "첫 시드",
    "Show": "보기",
    "Seeds": "시드",
    "All classes": "모든 클래스",
    "Show all ten classes": "열 클래스 모두 보기",
    "One latent, ten classes": "잠재 벡터 하나, 클래스 열",
    # Unconditional GAN
    "Unconditional GAN": "비조건부 GAN",
    "A DCGAN trained without labels (not the chapter's MLP, which is in `--arch mlp`): noise in, a garment out, no "
    "say in which. Truncation trades variety for typical garments.":
        "레이블 없이 학습한 DCGAN입니다(교재의 MLP는 `--arch mlp`에 있습니다): 잡음을 넣으면 옷이 나오지만, 어떤 옷인지는 "
        "고를 수 없습니다. 트렁케이션은 다양성을 줄이고 전형적인 옷을 얻습니다.",
    # Generate and Interpolate: which network draws
    "Network": "신경망",
    "network": "신경망",
    "Ours (DCGAN)": "우리 모델 (DCGAN)",
    "The chapter's MLP": "교재의 MLP",
    "Both, side by side": "둘 다 나란히",
    # Training
    "Training": "학습 과정",
    "Watch a GAN learn: the same seeds after every epoch of the run that made the weights this page serves, and how "
    "its losses, the discriminator's outputs and the FID (lower is better) moved.":
        "GAN이 배우는 모습을 보세요: 이 페이지가 쓰는 가중치를 만든 학습에서, 에포크마다 같은 시드로 그린 그림과 "
        "손실, 판별자 출력, FID(낮을수록 좋음)가 어떻게 움직였는지 보여 줍니다.",
    "Run": "학습",
    "run": "학습",
    "model": "모델",
    "Ours: the cGAN": "우리 모델: 조건부 GAN",
    "Ours: the unconditional GAN": "우리 모델: 비조건부 GAN",
    "The chapter's MLP cGAN": "교재의 MLP 조건부 GAN",
    "Epoch": "에포크",
    "epoch": "에포크",
    "▶ Play": "▶ 재생",
    "⏸ Pause": "⏸ 일시 정지",
    "The fixed seeds after this epoch": "이 에포크가 끝났을 때 고정 시드의 그림",
    "Losses": "손실",
    "D's outputs": "판별자 출력",
    "FID where scored": "측정한 에포크의 FID",
    # Find it: a visitor's garment in the latent space, and Is it copying?
    "Find it": "찾기",
    "Upload a picture of a garment, draw one, or pick a real test image: the search finds the latent whose picture "
    "is closest and gives it as a latent code, which Generate, Walk and Directions take in place of a seed. Is it "
    "copying? shows the training images nearest it.":
        "옷 사진을 올리거나, 그리거나, 실제 테스트 이미지를 고르세요: 탐색이 가장 가까운 그림을 만드는 잠재 벡터를 찾아 "
        "잠재 코드로 알려 줍니다. 생성, 걷기, 방향 화면은 시드 대신 이 코드를 받습니다. '베낀 걸까?'는 그와 가장 가까운 "
        "학습 이미지를 보여 줍니다.",
    "Upload": "올리기",
    "Draw": "그리기",
    "A garment (any size; light or dark background)": "옷 한 벌 (크기 상관없음; 밝거나 어두운 배경)",
    "Real test images (never trained on)": "실제 테스트 이미지 (학습에 쓰지 않은 것)",
    "Draw a garment (white on black)": "옷을 그리세요 (검은 바탕에 흰색)",
    "Find the drawing": "그림 찾기",
    "Search in": "찾을 곳",
    "auto: all ten classes": "자동: 열 클래스 모두",
    "What was searched (28×28)": "찾은 대상 (28×28)",
    "Found": "찾은 그림",
    "Latent code (copy it: any view takes it in place of a seed)": "잠재 코드 (복사하세요: 어느 화면이든 시드 대신 받습니다)",
    "Latent code (in place of the seed; empty: the seed)": "잠재 코드 (시드 대신; 비우면 시드)",
    "Latent code": "잠재 코드",
    "latent code": "잠재 코드",
    "Open in Generate": "생성에서 열기",
    "Walk from it": "여기서 걷기",
    "Open in Directions": "방향에서 열기",
    "Explore from it (the cGAN)": "여기서 탐험하기 (조건부 GAN)",
    "The found latent in all ten classes": "찾은 잠재 벡터를 열 클래스로",
    "Walk to seed": "걸어갈 시드",
    "From the found latent to that seed and back": "찾은 잠재 벡터에서 그 시드까지 갔다 오기",
    "Is it copying?": "베낀 걸까?",
    "The training images nearest the found picture: by pixels, and by the features of the project's classifier (the "
    "space its FID is measured in). A GAN that copies makes pictures far closer to a training image than a new "
    "garment (a test image) ever is.":
        "찾은 그림과 가장 가까운 학습 이미지: 픽셀로, 그리고 이 프로젝트 분류기의 특징(FID를 재는 공간)으로. 베끼는 GAN은 "
        "새 옷(테스트 이미지)이 학습 이미지에 다가가는 것보다 훨씬 가까운 그림을 만듭니다.",
    "Show the nearest training images": "가장 가까운 학습 이미지 보기",
    "Nearest by pixels": "픽셀로 가장 가까운",
    "Nearest by the classifier's features": "분류기 특징으로 가장 가까운",
    "Picture": "그림",
    "picture": "그림",
    "picture: upload a picture, draw one or pick a test image first": "그림: 먼저 그림을 올리거나, 그리거나, 테스트 이미지를 고르세요",
    "picture: nothing stands out from its background (an empty or flat picture); draw or upload a garment":
        "그림: 배경에서 드러나는 것이 없습니다 (비었거나 단색인 그림); 옷을 그리거나 올리세요",
    "the unconditional GAN": "비조건부 GAN",
    "latent code: it holds characters a code never has; copy it whole from the page":
        "잠재 코드: 코드에 없는 문자가 들어 있습니다; 페이지에서 통째로 복사하세요",
    "latent code: it holds a value that is not a finite number": "잠재 코드: 유한한 수가 아닌 값이 들어 있습니다",
    "Find it: find a garment with the cGAN first (the unconditional GAN's latents have no class to show them in)":
        "찾기: 먼저 조건부 GAN으로 옷을 찾으세요 (비조건부 GAN의 잠재 벡터에는 보여 줄 클래스가 없습니다)",
    # words inside messages (and the title of Gradio's error toast)
    "Error": "오류",
    "nothing": "없음",
    "not a class name": "클래스 이름이 아님",
    "use slerp or lerp": "slerp 또는 lerp를 쓰세요",
    "use true or false": "true 또는 false를 쓰세요",
    "not a number": "숫자가 아님",
    "not a whole number": "정수가 아님",
    "not a parameter of a link without tab=": "tab=이 없는 링크의 매개변수가 아님",
    "seeds: give a list such as 3, 17, 42-45": "시드 목록: 3, 17, 42-45 같은 목록을 쓰세요",
    "no unconditional GAN is loaded; start the app with --gan-weights DIR":
        "비조건부 GAN이 불러와지지 않았습니다; --gan-weights DIR로 앱을 시작하세요",
    "this generator is conditional: give a class": "이 생성자는 조건부입니다: 클래스를 주세요",
    "the chapter's network is not loaded; start the app with --chapter-weights DIR":
        "교재의 신경망이 불러와지지 않았습니다; --chapter-weights DIR로 앱을 시작하세요",
    "use dcgan, chapter or both": "dcgan, chapter, both 중 하나를 쓰세요",
    "use cgan, gan or chapter cgan": "cgan, gan, chapter cgan 중 하나를 쓰세요",
    "this generator is unconditional: it takes no class": "이 생성자는 비조건부입니다: 클래스를 받지 않습니다",
}

# English pattern -> Korean pattern, tried in this order (a longer pattern before its shorter cousin).
TEMPLATES: list[tuple[str, str]] = [
    # Find it and Is it copying? (before the link notice's general "{what} ({why})")
    ("Found in {where}: {distance} grey levels from the picture (root mean square, 0-255), in {seconds} s",
     "{where}에서 찾음: 그림과 {distance} 회색 단계 차이 (제곱평균제곱근, 0-255), {seconds}초"),
    ("class {name}", "클래스 {name}"),
    ("{name} must be a picture file (gradio_client: handle_file(path)), got {got}",
     "{name}: 그림 파일이어야 합니다 (gradio_client: handle_file(path)) (받은 값: {got})"),
    ("{pixels} px · {features} feat · train #{index} {name}", "픽셀 {pixels} · 특징 {features} · 학습 #{index} {name}"),
    ("{features} feat · {pixels} px · train #{index} {name}", "특징 {features} · 픽셀 {pixels} · 학습 #{index} {name}"),
    ("Nearest training image: {train} grey levels · nearest test image (never trained on): {test}. A picture much "
     "closer to a training image than to any test image looks copied; a new garment is about as far from both.",
     "가장 가까운 학습 이미지: {train} 회색 단계 · 가장 가까운 테스트 이미지(학습에 쓰지 않음): {test}. 어떤 테스트 "
     "이미지보다 학습 이미지에 훨씬 가까운 그림은 베낀 것으로 보입니다; 새 옷은 둘 모두에서 비슷하게 떨어져 있습니다."),
    ("Is it copying? needs Fashion-MNIST's images on the server: {why}",
     "'베낀 걸까?'에는 서버에 Fashion-MNIST 이미지가 있어야 합니다: {why}"),
    ("Is it copying? is off: {why}", "'베낀 걸까?'가 꺼져 있습니다: {why}"),
    ("picture: {width} x {height} is over {limit} pixels; send a smaller one",
     "그림: {width} x {height}는 {limit} 픽셀을 넘습니다; 더 작은 그림을 보내세요"),
    ("picture: expected a 2-D grey or colour image, got an array of shape {shape}",
     "그림: 2차원 흑백 또는 컬러 이미지여야 합니다 (받은 배열의 모양: {shape})"),
    ("{name}: not a picture this can read (PNG, JPEG, WebP, GIF, BMP)",
     "{name}: 읽을 수 있는 그림이 아닙니다 (PNG, JPEG, WebP, GIF, BMP)"),
    ("{name}: far too many pixels; send a smaller picture", "{name}: 픽셀이 너무 많습니다; 더 작은 그림을 보내세요"),
    ("{source}: no such file", "{source}: 그런 파일이 없습니다"),
    ("latent code: expected text starting with {prefix} (copy it whole from the page)",
     "잠재 코드: {prefix}로 시작하는 글이어야 합니다 (페이지에서 통째로 복사하세요)"),
    ("latent code: it holds {count} values, this generator takes {z_dim}; was it cut short, or made for the other model?",
     "잠재 코드: 값이 {count}개 들어 있지만 이 생성자는 {z_dim}개를 받습니다; 잘렸거나 다른 모델의 코드인가요?"),
    # fields.py and demo.py: a bad value in a field
    ("{name} must be a number from {low} to {high}, got {got}", "{name}: {low}부터 {high}까지의 숫자여야 합니다 (받은 값: {got})"),
    ("{name} must be a number from {low}, got {got}", "{name}: {low} 이상의 숫자여야 합니다 (받은 값: {got})"),
    ("{name} must be a number, got {got}", "{name}: 숫자여야 합니다 (받은 값: {got})"),
    ("{name} must be a whole number from {low} to {high}, got {got}",
     "{name}: {low}부터 {high}까지의 정수여야 합니다 (받은 값: {got})"),
    ("{name} must be a whole number from {low}, got {got}", "{name}: {low} 이상의 정수여야 합니다 (받은 값: {got})"),
    ("{name} must be a whole number, got {got}", "{name}: 정수여야 합니다 (받은 값: {got})"),
    ("{name} must be an integer from {low} to {high}, got {got}",
     "{name}: {low}부터 {high}까지의 정수여야 합니다 (받은 값: {got})"),
    ("{name} must be from {low} to {high}, got {got}", "{name}: {low}부터 {high}까지여야 합니다 (받은 값: {got})"),
    ("{name} must be from {low}, got {got}", "{name}: {low} 이상이어야 합니다 (받은 값: {got})"),
    ("{name} must be one of: {choices}; got {got}", "{name}: 다음 중 하나여야 합니다: {choices} (받은 값: {got})"),
    ("{name} must be one of {choices}, got {got}", "{name}: 다음 중 하나여야 합니다: {choices} (받은 값: {got})"),
    ("{name} must be text, got {got}", "{name}: 글이어야 합니다 (받은 값: {got})"),
    ("{name} must be true or false, got {got}", "{name}: true 또는 false여야 합니다 (받은 값: {got})"),
    # the latent math (walk keyframes, the seed map)
    ("steps: {keyframes} keyframes x {steps} steps is over {limit} frames; use fewer steps or seeds",
     "단계 수: 키프레임 {keyframes}개 × {steps}단계는 {limit}프레임을 넘습니다; 단계나 시드를 줄이세요"),
    ("seeds: {part} is not a seed or a range like 42-45", "시드 목록: {part}은(는) 시드도, 42-45 같은 범위도 아닙니다"),
    ("seeds: the range {range} runs backwards; write {fixed}", "시드 목록: 범위 {range}이(가) 거꾸로입니다; {fixed}로 쓰세요"),
    ("seeds: {seed} is above the largest seed, {largest}", "시드 목록: {seed}은(는) 가장 큰 시드 {largest}보다 큽니다"),
    ("seeds: at most {limit} seeds, got more", "시드 목록: 시드는 {limit}개까지입니다"),
    ("seed {seed} is out of range; use an integer from 0 to {largest}",
     "시드 {seed}은(는) 범위 밖입니다; 0부터 {largest}까지의 정수를 쓰세요"),
    ("map: this view reaches seed {seed}, beyond the last one; choose a smaller x or y",
     "지도: 이 화면은 마지막 시드를 넘어 시드 {seed}까지 갑니다; x나 y를 줄이세요"),
    ("map {name} must be a number >= 0, got {got}", "지도 {name}: 0 이상의 숫자여야 합니다 (받은 값: {got})"),
    ("map position ({x}, {y}) is beyond the last seed ({largest}); keep x + {row}*y below it",
     "지도 위치 ({x}, {y})는 마지막 시드({largest})를 넘습니다; x + {row}*y를 그보다 작게 하세요"),
    ("unknown class {value}; use an index 0-{last} or one of: {names}",
     "알 수 없는 클래스 {value}; 0-{last}의 번호나 다음 중 하나를 쓰세요: {names}"),
    # the link notice (fashion_gan/links.py's reasons)
    ("Ignored in this link: {items}", "이 링크에서 쓸 수 없어 무시한 것: {items}"),
    ("{first} · {rest}", "{first} · {rest}"),
    ("not from {low} to {high}", "{low}부터 {high}까지가 아님"),
    ("no such view, use one of: {views}", "그런 화면이 없음, 다음 중 하나: {views}"),
    ("not a parameter of the {tab} view", "{tab} 화면의 매개변수가 아님"),
    ("{what} ({why})", "{what} ({why})"),
    # the Training tab: its line under the time-lapse, a run without its record
    ("Epoch {epoch} of {epochs}", "에포크 {epoch}/{epochs}"),
    ("FID {fid} at epoch {epoch}", "FID {fid} (에포크 {epoch}에서 측정)"),
    ("{model}: no training record here (its weights were not loaded from a folder)",
     "{model}: 여기에는 학습 기록이 없습니다 (가중치를 폴더에서 불러오지 않았습니다)"),
    ("{model}: {folder}: no per-epoch grids; train.py writes them during a run",
     "{model}: {folder}: 에포크별 그림이 없습니다; train.py가 학습하는 동안 씁니다"),
    # the map's position line, gallery captions, the footer
    ("(the nearest seed is {seed})", "(가장 가까운 시드: {seed})"),
    ("seed {seed}", "시드 {seed}"),
    ("· {count} generator parameters", "· 생성자 매개변수 {count}개"),
]


def _(english: str) -> I18nData:
    """A fixed text of the page, shown in the visitor's language. A text without its Korean fails the build."""
    if english not in PHRASES:
        raise KeyError(f"no Korean for {english!r}: add it to fashion_gan/words.py")
    return I18N(english)


def class_label(name: str) -> I18nData:
    """A class name as the class menus show it. Its key is not the name itself: Gradio translates any
    component *value* that equals a key, and a menu whose value became "가방" would send that, not "Bag"."""
    return I18N(f"class:{name}")


I18N = gr.I18n(en={**{text: text for text in PHRASES}, **{f"class:{name}": name for name in CLASS_NAMES}},
               ko={**PHRASES, **{f"class:{name}": korean for name, korean in CLASSES_KO.items()}})


def head() -> str:
    """The <head> lines that translate the server's English while the page runs, and switch the language."""
    catalogue = json.dumps({"phrases": {**PHRASES, **CLASSES_KO}, "templates": TEMPLATES}, ensure_ascii=False)
    script = (Path(__file__).with_name("translate.js")).read_text()
    return f"<script>window.fashionGanWords = {catalogue};\n{script}</script>"
