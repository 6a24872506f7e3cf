"""Real videos encoded with PyAV and real images made with Pillow."""

from __future__ import annotations

import io
from pathlib import Path

import av
import pytest
from PIL import Image

from sciweek.core.files import (
    UploadRejected,
    check_image,
    check_video,
    format_duration,
    make_thumbnail,
    video_duration_seconds,
)

from .test_files_factory import (
    PYTEST_DJANGO_ACTIVE,
    image_bytes,
    png_claiming_size,
    write_audio_only,
    write_video,
)

if not PYTEST_DJANGO_ACTIVE:
    from .test_files_factory import standalone_settings  # noqa: F401 - provides `settings`


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("videos")
    return {
        "2s": write_video(folder / "two-seconds.mp4", 2, fps=2),
        "190s": write_video(folder / "three-ten.mp4", 190, fps=1),
        "180s": write_video(folder / "three-minutes.mp4", 180, fps=1),
        "live-mkv": write_video(folder / "live.mkv", 20, container_format="matroska", seekable=False),
        "webm": write_video(folder / "clip.webm", 3, container_format="webm", codec="libvpx"),
    }


@pytest.mark.parametrize(("key", "expected"), [("2s", 2.0), ("190s", 190.0), ("180s", 180.0), ("webm", 3.0)])
def test_it_reads_the_duration_from_the_file(videos, key: str, expected: float):
    assert video_duration_seconds(videos[key]) == pytest.approx(expected, abs=0.5)


def test_a_stream_without_a_duration_header_is_measured_from_its_packets(videos):
    with av.open(str(videos["live-mkv"])) as container:
        assert container.duration is None  # the fallback is what is tested here
    assert video_duration_seconds(videos["live-mkv"]) == pytest.approx(20.0, abs=0.5)


def test_a_video_over_three_minutes_is_refused_with_both_lengths(videos):
    with pytest.raises(UploadRejected) as caught:
        check_video(videos["190s"], max_seconds=180, field_label="活动视频")
    assert caught.value.message == "「活动视频」视频时长 3分10秒，超过上限 3分钟，请剪辑后重新上传"
    assert caught.value.code == "video_too_long"
    assert caught.value.field == "活动视频"


def test_a_video_of_exactly_three_minutes_is_accepted(videos):
    assert check_video(videos["180s"], max_seconds=180, field_label="活动视频") == pytest.approx(180, abs=0.5)


def test_a_short_video_passes_and_reports_its_length(videos):
    assert check_video(videos["2s"], max_seconds=180) == pytest.approx(2.0, abs=0.5)


def test_a_text_file_named_mp4_is_not_a_video(tmp_path: Path):
    fake = tmp_path / "活动视频.mp4"
    fake.write_text("这是一段文字，不是视频。\n" * 50, encoding="utf-8")
    with pytest.raises(UploadRejected) as caught:
        check_video(fake, max_seconds=180, field_label="活动视频")
    assert caught.value.message.startswith("「活动视频」不是可播放的视频文件")
    with pytest.raises(UploadRejected):
        video_duration_seconds(fake)


def test_a_playlist_named_mp4_is_never_handed_to_ffmpeg(tmp_path: Path):
    # FFmpeg's own probing would read this as HLS and go and open the file it points to.
    playlist = tmp_path / "活动视频.mp4"
    playlist.write_text(
        "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
    )
    with pytest.raises(UploadRejected) as caught:
        check_video(playlist, max_seconds=180, field_label="活动视频")
    assert caught.value.message.startswith("「活动视频」不是可播放的视频文件（检测到纯文本内容）")


def test_a_truncated_mp4_is_not_playable(videos, tmp_path: Path):
    data = videos["190s"].read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(UploadRejected) as caught:
        check_video(cut, max_seconds=180, field_label="活动视频")
    assert caught.value.code == "not_video"


def test_an_audio_file_has_no_picture(tmp_path: Path):
    audio = write_audio_only(tmp_path / "录音.mka")
    with pytest.raises(UploadRejected) as caught:
        check_video(audio, max_seconds=180, field_label="活动视频")
    assert caught.value.code == "no_video"
    assert "没有视频画面" in caught.value.message


@pytest.mark.parametrize(
    ("seconds", "shown"), [(192, "3分12秒"), (180, "3分钟"), (45, "45秒"), (59.6, "1分钟"), (0, "0秒")]
)
def test_durations_read_as_minutes_and_seconds(seconds: float, shown: str):
    assert format_duration(seconds) == shown


def test_check_image_returns_the_size(tmp_path: Path):
    path = tmp_path / "photo.png"
    path.write_bytes(image_bytes("PNG", (120, 80)))
    assert check_image(path) == (120, 80)


def test_a_truncated_jpeg_is_refused(tmp_path: Path):
    data = image_bytes("JPEG", (400, 300), quality=95)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UploadRejected) as caught:
        check_image(path, field_label="活动照片")
    assert caught.value.message.startswith("「活动照片」图片已损坏或格式不受支持")


def test_postscript_is_never_handed_to_pillows_ghostscript_plugin(tmp_path: Path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n")
    with pytest.raises(UploadRejected):
        check_image(path)


def test_the_pixel_limit_names_the_dimensions(tmp_path: Path):
    path = tmp_path / "big.png"
    path.write_bytes(image_bytes("PNG", (400, 300)))
    with pytest.raises(UploadRejected) as caught:
        check_image(path, field_label="展板图片", max_pixels=100_000)
    assert caught.value.message == "「展板图片」图片尺寸过大：400×300 像素，上限 10 万像素"


def test_a_decompression_bomb_is_refused_without_decoding(tmp_path: Path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_claiming_size(100_000, 100_000))
    assert path.stat().st_size < 200
    with pytest.raises(UploadRejected) as caught:
        check_image(path, field_label="活动照片")
    assert caught.value.code == "image_too_large"
    with pytest.raises(UploadRejected):
        make_thumbnail(path, io.BytesIO())


def _jpeg_with_orientation(path: Path, orientation: int) -> Path:
    # Left half red, right half blue, as the camera sensor saw it.
    image = Image.new("RGB", (800, 400), "blue")
    image.paste((255, 0, 0), (0, 0, 400, 400))
    exif = Image.Exif()
    exif[0x0112] = orientation
    image.save(path, "JPEG", exif=exif, quality=95)
    return path


def test_thumbnails_are_upright_jpegs_within_the_size(tmp_path: Path):
    source = _jpeg_with_orientation(tmp_path / "phone.jpg", 6)  # "rotate 90° clockwise to view"
    out = io.BytesIO()
    assert make_thumbnail(source, out, max_side=200) == (100, 200)
    out.seek(0)
    with Image.open(out) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (100, 200)
        top, bottom = thumb.getpixel((50, 20)), thumb.getpixel((50, 180))
    assert top[0] > 200 and top[2] < 60  # red on top: the left edge turned up
    assert bottom[2] > 200 and bottom[0] < 60


def test_transparency_becomes_white_not_black(tmp_path: Path):
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, 150, 300))
    source = tmp_path / "logo.png"
    image.save(source)
    out = io.BytesIO()
    make_thumbnail(source, out, max_side=100)
    out.seek(0)
    with Image.open(out) as thumb:
        assert thumb.mode == "RGB"
        assert min(thumb.getpixel((90, 50))) > 240  # was transparent
        assert thumb.getpixel((10, 50))[1] > 100  # was green


def test_palette_gif_with_transparency_converts(tmp_path: Path):
    image = Image.new("P", (50, 50), 0)
    image.putpalette([255, 0, 0] + [0, 0, 255] * 255)
    source = tmp_path / "anim.gif"
    image.save(source, transparency=0)
    out = io.BytesIO()
    assert make_thumbnail(source, out) == (50, 50)
    out.seek(0)
    with Image.open(out) as thumb:
        assert min(thumb.getpixel((25, 25))) > 240


def test_a_text_file_cannot_be_thumbnailed(tmp_path: Path):
    source = tmp_path / "photo.jpg"
    source.write_text("not an image")
    with pytest.raises(UploadRejected) as caught:
        make_thumbnail(source, io.BytesIO(), field_label="活动照片")
    assert caught.value.code == "bad_image"
