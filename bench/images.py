"""
How long a 24-megapixel photo takes to upload and to render, and how much memory it needs.

    .venv/bin/python bench/images.py [--megapixels 24]

Run by hand (not part of the test suite). It makes a photo-like JPEG with Pillow (gradients
and noise, so it compresses like a real photo, with an EXIF orientation and GPS position like a
phone's), sets up a throwaway database and media folder, and measures, each in a fresh
process so that one phase's memory does not hide another's:

- upload: the checks and re-encoding of `imaging.read_upload`, then saving the image through
  the storage API (what the admin does when a photo is uploaded);
- all renditions, batch: `renditions.ensure_renditions` for every width of every spec, made
  from one decode of the original;
- all renditions, on demand: the same renditions one request at a time, as the rendition view
  makes them when pages ask for them (one decode each, at the JPEG scale each one needs).

Memory is resident set size (RSS): the process's peak during the phase (Linux's VmHWM, reset
just before the phase through /proc/self/clear_refs) minus its RSS just before it, so what the
phase added. tracemalloc would miss most of it: Pillow keeps pixels outside Python's allocator.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def status_mb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


class PeakMemory:
    """The RSS a block of code added at its peak (Linux only)."""

    def __enter__(self):
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
        self.before = status_mb("VmRSS")
        return self

    def __exit__(self, *exc):
        self.added_mb = status_mb("VmHWM") - self.before


def make_photo(path, megapixels):
    from PIL import ExifTags, Image, ImageFilter

    width = round((megapixels * 1_000_000 * 3 / 2) ** 0.5)
    height = round(width * 2 / 3)
    size = (width, height)
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    texture = Image.effect_noise((width // 8, height // 8), 64).resize(
        size, Image.Resampling.BICUBIC
    )
    grain = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(0.6))
    red = Image.blend(Image.blend(across, texture, 0.45), grain, 0.25)
    green = Image.blend(down, grain, 0.35)
    blue = Image.blend(Image.blend(across, down, 0.5), texture, 0.3)
    photo = Image.merge("RGB", [red, green, blue])
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.Base.Make] = "Bench Camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (38.0, 43.0, 12.0)
    photo.save(path, "JPEG", quality=92, exif=exif)
    return size


def set_up_django(workdir):
    os.environ.update(
        DJANGO_DEBUG="true",
        DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def phase_upload(workdir):
    from django.conf import settings

    from photos import imaging
    from photos.models import Image

    source = workdir / "photo.jpg"
    with PeakMemory() as memory, source.open("rb") as file:
        started = time.perf_counter()
        processed = imaging.read_upload(
            file,
            max_bytes=settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE,
            max_pixels=settings.NEWSROOM_IMAGE_MAX_PIXELS,
        )
        image = Image(alt_text="A generated photo of gradients and grain", credit="Bench")
        image.use_upload(processed)
        image.save()
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "added_peak_rss_mb": memory.added_mb,
        "stored_bytes": len(processed.content),
        "image_id": image.pk,
    }


def phase_batch(workdir):
    from photos import renditions
    from photos.models import Image

    image = Image.objects.get()
    jobs = renditions.all_jobs(image)
    with PeakMemory() as memory:
        started = time.perf_counter()
        made = renditions.ensure_renditions(image, jobs)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "added_peak_rss_mb": memory.added_mb,
        "renditions": len(made),
    }


def phase_on_demand(workdir):
    from photos import renditions
    from photos.models import Image, Rendition

    image = Image.objects.get()
    Rendition.objects.all().delete()
    jobs = renditions.all_jobs(image)
    slowest = 0.0
    with PeakMemory() as memory:
        started = time.perf_counter()
        for job in jobs:
            one = time.perf_counter()
            renditions.ensure_renditions(image, [job])
            slowest = max(slowest, time.perf_counter() - one)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "added_peak_rss_mb": memory.added_mb,
        "renditions": len(jobs),
        "slowest_seconds": slowest,
    }


PHASES = {"upload": phase_upload, "batch": phase_batch, "on_demand": phase_on_demand}


def run_phase(workdir, name):
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--workdir", str(workdir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megapixels", type=float, default=24)
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.phase:
        set_up_django(arguments.workdir)
        print(json.dumps(PHASES[arguments.phase](arguments.workdir)))
        return

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as folder:
        workdir = Path(folder)
        size = make_photo(workdir / "photo.jpg", arguments.megapixels)
        file_mb = (workdir / "photo.jpg").stat().st_size / 1024 / 1024
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        }
        subprocess.run(
            [sys.executable, ROOT / "manage.py", "migrate", "-v0"], env=env, check=True, cwd=ROOT
        )
        print(
            f"Photo: {size[0]} × {size[1]} ({size[0] * size[1] / 1e6:.1f} MP), "
            f"{file_mb:.1f} MB JPEG"
        )
        upload = run_phase(workdir, "upload")
        print(
            f"upload (check + re-encode + store): {upload['seconds']:.2f} s, "
            f"+{upload['added_peak_rss_mb']:.0f} MB peak RSS, "
            f"stored {upload['stored_bytes'] / 1024 / 1024:.1f} MB"
        )
        batch = run_phase(workdir, "batch")
        print(
            f"all {batch['renditions']} renditions, one decode: {batch['seconds']:.2f} s, "
            f"+{batch['added_peak_rss_mb']:.0f} MB peak RSS"
        )
        on_demand = run_phase(workdir, "on_demand")
        print(
            f"all {on_demand['renditions']} renditions, one request each: "
            f"{on_demand['seconds']:.2f} s (slowest {on_demand['slowest_seconds']:.2f} s), "
            f"+{on_demand['added_peak_rss_mb']:.0f} MB peak RSS"
        )
        decoded_mb = size[0] * size[1] * 3 / 1024 / 1024
        print(f"(one decoded copy of the photo in RGB is {decoded_mb:.0f} MB)")


if __name__ == "__main__":
    main()
