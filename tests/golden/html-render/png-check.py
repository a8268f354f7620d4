#!/usr/bin/env python3
"""png-check.py PNG WIDTH HEIGHT COLOR... - checks a browser screenshot.

The PNG must be WIDTH x HEIGHT, must not be blank (enough distinct colours,
enough pixels off the page background), and must contain every COLOR
(#rrggbb) somewhere: the report's header band and chart bars are solid
fills, so finding them shows that the CSS and the inline SVG were drawn.
Standard library only; prints one line and exits 0, or says why and
exits 1.  `png-check.py --blank PNG W H` writes a white picture, which
the check must refuse (render.sh's self-check).
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG file')
    pos, idat, hdr = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            hdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat.append(body)
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace != 0:
        raise ValueError('unexpected PNG type %d/%d/%d' % (depth, ctype,
                                                           interlace))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b''.join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    rows, i = [], 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if f == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif f == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 255
        elif f == 3:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + (a + prev[x]) // 2) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def write_blank(path, w, h):
    """A white w x h PNG, for the self-check that blank pages fail."""
    def chunk(kind, body):
        return (struct.pack('>I', len(body)) + kind + body +
                struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff))
    raw = b''.join(b'\x00' + b'\xff' * (3 * w) for _ in range(h))
    open(path, 'wb').write(
        b'\x89PNG\r\n\x1a\n' +
        chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
        chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def main():
    if sys.argv[1] == '--blank':
        write_blank(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return 0
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    want_colors = [bytes.fromhex(c.lstrip('#')) for c in sys.argv[4:]]
    w, h, bpp, rows = read_png(path)
    if (w, h) != (want_w, want_h):
        print('%s: %dx%d, expected %dx%d' % (path, w, h, want_w, want_h))
        return 1
    counts = {}
    for row in rows:
        for x in range(0, w * bpp, bpp):
            px = row[x:x + 3]
            counts[px] = counts.get(px, 0) + 1
    background, bg_count = max(counts.items(), key=lambda kv: kv[1])
    ink = 1 - bg_count / float(w * h)
    problems = []
    if len(counts) < 64:
        problems.append('only %d distinct colours' % len(counts))
    if ink < 0.10:
        problems.append('only %.1f%% of the pixels off the background'
                        % (ink * 100))
    for c in want_colors:
        if counts.get(c, 0) < 50:
            problems.append('colour #%s missing' % c.hex())
    if problems:
        print('%s: blank or broken: %s' % (path, '; '.join(problems)))
        return 1
    print('%s: %dx%d, %d colours, %.0f%% ink, background #%s' %
          (path, w, h, len(counts), ink * 100, background.hex()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
