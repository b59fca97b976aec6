#!/usr/bin/env python3
"""Renders `dlscale report` in headless Chromium: the page must draw (a screenshot of the
expected size that is not blank) and keep its title and figures in the DOM Chromium built.
Exit 77 (skip) where Chromium is absent. Usage: report_browser_test.py DLSCALE"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

WIDTH, HEIGHT = 1300, 1400


def chromium_args(profile):
    # No network and no background services: the page must render from the file alone.
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}"]


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format {header}"
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):  # the five PNG filters
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def main():
    dlscale = sys.argv[1]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("skip: no chromium (apt-get install chromium)")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "report.html")
        subprocess.run([dlscale, "report", "--network", "SqueezeNet", "--workers", "1:16:x2",
                        "--out", page], check=True, stdout=subprocess.DEVNULL)
        shot = os.path.join(tmp, "report.png")
        args = chromium_args(os.path.join(tmp, "profile"))
        subprocess.run([chromium, *args, f"--screenshot={shot}", "file://" + page], check=True,
                       timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dom = subprocess.run([chromium, *args, "--dump-dom", "file://" + page], check=True,
                             timeout=120, capture_output=True, text=True).stdout
        width, height, bpp, rows = png_pixels(shot)
    failures = []
    if (width, height) != (WIDTH, HEIGHT):
        failures.append(f"screenshot {width}x{height}, expected {WIDTH}x{HEIGHT}")
    pixels = [bytes(r[i:i + 3]) for r in rows[::4] for i in range(0, len(r), bpp * 4)]
    ink = sum(1 for p in pixels if min(p) < 200) / len(pixels)
    colours = len(set(pixels))
    # Text, axes and coloured lines: a blank or failed page is one colour and no ink.
    if ink < 0.02 or colours < 20:
        failures.append(f"screenshot looks blank: {ink:.1%} dark pixels, {colours} colours")
    if "<title>dlscale report: SqueezeNet</title>" not in dom:
        failures.append("the DOM has no title 'dlscale report: SqueezeNet'")
    if dom.count("<svg") != 3:
        failures.append(f"the DOM has {dom.count('<svg')} SVG figures, expected 3")
    for f in failures:
        print("FAIL", f)
    print(f"rendered {width}x{height}: {ink:.1%} dark pixels, {colours} colours sampled")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
