"""Videos and images, checked by opening them: the clause "视频不超过3分钟" is enforced from the
file's own timing, and a photo must decode before it is shown on a display board."""

from __future__ import annotations

import os
import warnings
from typing import IO

import av
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import UploadRejected, format_duration, pad_latin, quote_field
from .sniff import VIDEO_KINDS, sniff_file

# Pillow would otherwise pick any of its plugins by content, some of which (EPS) run external tools.
IMAGE_FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]
# 8000 × 10000: above any phone's default mode, below Pillow's own warning threshold (~89 MP).
DEFAULT_MAX_PIXELS = 80_000_000
# Encoders routinely report a few hundredths of a second over a clip's nominal length.
DEFAULT_DURATION_TOLERANCE = 0.5

# The demuxer is chosen from the sniffed kind, never by FFmpeg's own probing: probing would also
# accept HLS playlists and other text formats that make FFmpeg open further files or URLs.
DEMUXER_FOR_KIND = {"mp4": "mov", "mov": "mov", "webm": "matroska", "mkv": "matroska", "avi": "avi"}
_OPEN_OPTIONS = {"protocol_whitelist": "file"}

_Path = str | os.PathLike[str]


def _not_video(field_label: str | None, detail: str = "") -> UploadRejected:
    text = f"{quote_field(field_label)}不是可播放的视频文件{detail}，请上传 MP4 / MOV / WebM 等常见格式的视频"
    return UploadRejected(text, field=field_label, code="not_video")


def _open_video(path: _Path, field_label: str | None) -> av.container.InputContainer:
    with open(path, "rb") as handle:
        kind = sniff_file(handle)
    if kind.kind not in VIDEO_KINDS:
        found = "无法识别文件内容" if kind.kind == "unknown" else f"检测到{pad_latin(kind.label)}内容"
        raise _not_video(field_label, f"（{found}）")
    try:
        return av.open(
            os.fspath(path),
            format=DEMUXER_FOR_KIND[kind.kind],
            options=_OPEN_OPTIONS,
            metadata_errors="ignore",
        )
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError):
        raise _not_video(field_label)


def _container_duration(container: av.container.InputContainer) -> float:
    """Seconds, from the container header, else the streams' headers, else the last packet."""
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    from_streams = [
        float(stream.duration * stream.time_base)
        for stream in container.streams
        if stream.duration and stream.time_base is not None
    ]
    if from_streams:
        return max(from_streams)
    # Streamed Matroska / WebM (and some screen recorders) never write a duration: walk the packets.
    # Demuxing does not decode, so this is fast even for a long video.
    streams = container.streams.video or container.streams
    start: float | None = None
    end = 0.0
    for packet in container.demux(streams):
        if packet.pts is None or packet.time_base is None:
            continue
        begins = float(packet.pts * packet.time_base)
        ends = float((packet.pts + (packet.duration or 0)) * packet.time_base)
        start = begins if start is None else min(start, begins)
        end = max(end, ends)
    return max(0.0, end - (start or 0.0))


def video_duration_seconds(path: _Path, *, field_label: str | None = None) -> float:
    """The length of the video at ``path`` in seconds, read with PyAV. Raises ``UploadRejected``
    when the file's content is not a video container (MP4 / MOV / WebM / MKV / AVI) or cannot be
    read as one."""
    try:
        with _open_video(path, field_label) as container:
            return _container_duration(container)
    except UploadRejected:
        raise
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError):
        raise _not_video(field_label)


def check_video(
    path: _Path,
    *,
    max_seconds: float,
    field_label: str | None = None,
    tolerance: float = DEFAULT_DURATION_TOLERANCE,
) -> float:
    """Raise ``UploadRejected`` unless ``path`` is a video whose first frame decodes and whose
    length is at most ``max_seconds`` (plus ``tolerance``). Returns the length in seconds."""
    prefix = quote_field(field_label)
    try:
        with _open_video(path, field_label) as container:
            if not container.streams.video:
                raise UploadRejected(
                    (
                        _("%(prefix)s文件中没有视频画面（可能是音频文件），请上传视频文件")
                        % {"prefix": prefix}
                    ),
                    field=field_label,
                    code="no_video",
                )
            first_frame = next(container.decode(video=0), None)
    except UploadRejected:
        raise
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError):
        raise _not_video(field_label)
    if first_frame is None:
        raise _not_video(field_label, _("（无法解码出画面）"))
    # A second open: the packet walk for headerless files must start from the beginning.
    duration = video_duration_seconds(path, field_label=field_label)
    if duration > max_seconds + tolerance:
        shown = format_duration(duration)
        if int(duration + 0.5) <= max_seconds:  # 180.3 s would otherwise read "3分钟，超过上限 3分钟"
            minutes, seconds = divmod(duration, 60)
            shown = f"{int(minutes)}分{seconds:.1f}秒" if minutes else f"{seconds:.1f}秒"
        raise UploadRejected(
            (
                _("%(prefix)s视频时长 %(shown)s，超过上限 %(format_duration)s，请剪辑后重新上传")
                % {"prefix": prefix, "shown": shown, "format_duration": format_duration(max_seconds)}
            ),
            field=field_label,
            code="video_too_long",
        )
    return duration


def _bad_image(field_label: str | None) -> UploadRejected:
    return UploadRejected(
        f"{quote_field(field_label)}图片已损坏或格式不受支持，请上传 JPEG / PNG / WebP / GIF 图片",
        field=field_label,
        code="bad_image",
    )


def _too_big(field_label: str | None, max_pixels: int, actual: str = "") -> UploadRejected:
    return UploadRejected(
        f"{quote_field(field_label)}图片尺寸过大{actual}，上限 {max_pixels // 10_000} 万像素",
        field=field_label,
        code="image_too_large",
    )


def _open_image(path: _Path) -> Image.Image:
    # Our own pixel limit below gives a better message than Pillow's warning; Pillow still raises
    # DecompressionBombError past twice its threshold.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(os.fspath(path), formats=IMAGE_FORMATS)


def check_image(
    path: _Path, *, field_label: str | None = None, max_pixels: int = DEFAULT_MAX_PIXELS
) -> tuple[int, int]:
    """Raise ``UploadRejected`` unless ``path`` is a JPEG / PNG / WebP / GIF image that decodes and
    has at most ``max_pixels`` pixels; return its (width, height) as stored (before EXIF rotation)."""
    try:
        with _open_image(path) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise _too_big(
                    field_label,
                    max_pixels,
                    (_("：%(width)s×%(height)s 像素") % {"width": width, "height": height}),
                )
            image.verify()
        # verify() leaves the image unusable and skips the pixel data of most formats; decode it
        # (a JPEG at 1/8 scale, which still reads every block) to catch truncated uploads.
        with _open_image(path) as image:
            if image.format == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except UploadRejected:
        raise
    except Image.DecompressionBombError:
        raise _too_big(field_label, max_pixels)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        raise _bad_image(field_label)
    return width, height


def _to_rgb(image: Image.Image) -> Image.Image:
    """Flatten transparency onto white (JPEG has no alpha; black would be Pillow's default)."""
    if image.mode == "P" or (image.mode in ("RGB", "L") and "transparency" in image.info):
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def make_thumbnail(
    src_path: _Path,
    dest_fileobj: IO[bytes],
    *,
    max_side: int = 400,
    quality: int = 85,
    field_label: str | None = None,
) -> tuple[int, int]:
    """Write a JPEG no larger than ``max_side`` on either side to ``dest_fileobj``, upright according
    to the photo's EXIF orientation, transparency on white. Returns the thumbnail's (width, height)."""
    try:
        with _open_image(src_path) as image:
            if image.format == "JPEG":
                image.draft("RGB", (max_side, max_side))
            upright = ImageOps.exif_transpose(image)
            flat = _to_rgb(upright)
            flat.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            flat.save(dest_fileobj, "JPEG", quality=quality, optimize=True)
            return flat.size
    except Image.DecompressionBombError:
        raise _too_big(field_label, Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_PIXELS)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        raise _bad_image(field_label)
