#!/usr/bin/python3
"""check_map.py - is a map the bench timed really a map?

    /usr/bin/python3 bench/check_map.py FILE.png WIDTH HEIGHT
    /usr/bin/python3 bench/check_map.py FILE.pdf

So that a tool failing quietly cannot look fast: a PNG must be WIDTH x
HEIGHT pixels, a PDF one page (rasterised at 30 dpi by pdftoppm); and
either must be drawn on: at least 10% of its pixels not white (an empty
map with only its title and legend is 2..4%) in at least 8 colours.
Prints one line; exit 0 when it is a map, 1 when not.
"""
import os
import subprocess
import sys
import tempfile

from PIL import Image


def drawn(im):
    im = im.convert("RGB")
    im.thumbnail((600, 600))
    px = list(im.getdata())
    ink = sum(1 for p in px if min(p) < 250) / float(len(px))
    return ink, len(set(px))


def main():
    path = sys.argv[1]
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        print("%s: missing or empty" % path)
        return 1
    what = "%d KB" % (os.path.getsize(path) // 1024)
    if path.lower().endswith(".png"):
        want = (int(sys.argv[2]), int(sys.argv[3]))
        im = Image.open(path)
        if im.size != want:
            print("%s: %dx%d pixels, not %dx%d" % ((path,) + im.size + want))
            return 1
        what += ", %dx%d" % im.size
    else:
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
        pages = [l.split(":", 1)[1].strip() for l in info.stdout.splitlines()
                 if l.startswith("Pages:")]
        if info.returncode != 0 or pages != ["1"]:
            print("%s: not a one-page PDF (%s)" % (path, info.stderr.strip() or pages))
            return 1
        with tempfile.TemporaryDirectory() as d:
            subprocess.run(["pdftoppm", "-r", "30", "-png", "-singlefile", path,
                            os.path.join(d, "p")], check=True)
            im = Image.open(os.path.join(d, "p.png"))
            im.load()
        what += ", 1 page"
    ink, colours = drawn(im)
    ok = ink >= 0.10 and colours >= 8
    print("%s: %s, %.0f%% drawn, %d colours: %s"
          % (path, what, 100 * ink, colours, "ok" if ok else "NOT A MAP"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
