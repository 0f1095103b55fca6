#!/usr/bin/env python3
"""Facts about a PNG screenshot, as one JSON line (the desk page's browser test reads them).

Decodes 8-bit RGB/RGBA, non-interlaced PNGs (what headless Chromium writes) with the standard
library only: width, height, the share of pixels that are not the page's white, how many
colours there are (each channel rounded to 16 levels), which of the given colours cover at least
400 pixels (an area, not a few anti-aliased edge pixels), and the share of non-white pixels in
the rightmost column.

usage: png_stats.py FILE [#rrggbb ...]
"""
import json
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    i, idat, header = 8, b"", None
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        i += 12 + n
    w, h, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: unsupported PNG (depth {depth}, colour {colour})")
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev, p = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main():
    w, h, bpp, rows = decode(sys.argv[1])
    wanted = {c.lower(): tuple(int(c[k:k + 2], 16) for k in (1, 3, 5)) for c in sys.argv[2:]}
    white = (255, 255, 255)
    non_white, colours, edge = 0, set(), 0
    counts = {name: 0 for name in wanted}
    for y, line in enumerate(rows):
        for x in range(w):
            px = tuple(line[x * bpp:x * bpp + 3])
            if px != white:
                non_white += 1
                if x == w - 1:
                    edge += 1
            colours.add(tuple(v >> 4 for v in px))
            for name, rgb in wanted.items():
                if all(abs(px[k] - rgb[k]) <= 3 for k in range(3)):
                    counts[name] += 1
    print(json.dumps({
        "width": w,
        "height": h,
        "non_white": non_white / (w * h),
        "colours": len(colours),
        "seen": sorted(name for name, n in counts.items() if n >= 400),
        "counts": counts,
        "right_edge_non_white": edge / h,
    }))


if __name__ == "__main__":
    main()
