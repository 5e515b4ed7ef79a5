#!/usr/bin/python3
"""A fake camera's film for Chromium (--use-file-for-fake-video-capture): QR codes held up one after another.

    qr-video.py --out FILE.y4m [--fps 10] [--lead 1] [--show 1.5] [--gap 1] [--tail 0] TEXT...

Blank frames for --lead seconds, then each TEXT as a QR code for --show seconds with --gap seconds of blank after it,
then --tail seconds of blank. Prints a JSON manifest (frames, fps, each code's first and last frame) on stdout.

Every frame also carries a strip of squares at its bottom left that a harness reads from the video element: the first
square is black on the frames that show a code and white on the others, the next ten are the code's place in the
sequence plus one, in binary, black for 1. So "this code appeared" is the first frame delivered to the page that
carries that number, whatever the page does with it. The strip is no QR finder pattern: jsQR does not see it.

Needs Debian's python3-qrcode (which brings PIL) and ffmpeg; run with /usr/bin/python3, where apt puts them.
"""
import argparse
import json
import subprocess
import sys

import qrcode
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 640, 480
CELL = 32
STRIP_X, STRIP_Y = 16, HEIGHT - 8 - CELL
BITS = 10


def frame(text, number):
    image = Image.new('L', (WIDTH, HEIGHT), 255)
    if text is not None:
        code = qrcode.QRCode(border=4, box_size=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(text)
        code.make(fit=True)
        modules = code.make_image(fill_color='black', back_color='white').get_image().convert('L')
        # about half the frame's height, as a badge held at arm's length; whole pixels per module, sharp edges
        box = max(1, min(10, (STRIP_Y - 16) // modules.size[0]))
        modules = modules.resize((modules.size[0] * box, modules.size[1] * box), Image.NEAREST)
        image.paste(modules, ((WIDTH - modules.size[0]) // 2, (STRIP_Y - modules.size[1]) // 2))
    draw = ImageDraw.Draw(image)
    cells = [text is not None] + [bool(number >> bit & 1) for bit in range(BITS)]
    for i, black in enumerate(cells):
        if black:
            x = STRIP_X + i * CELL
            draw.rectangle([x, STRIP_Y, x + CELL - 1, STRIP_Y + CELL - 1], fill=0)
    return image.tobytes()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True)
    parser.add_argument('--fps', type=int, default=10)
    parser.add_argument('--lead', type=float, default=1.0)
    parser.add_argument('--show', type=float, default=1.5)
    parser.add_argument('--gap', type=float, default=1.0)
    parser.add_argument('--tail', type=float, default=0.0)
    parser.add_argument('texts', nargs='+')
    args = parser.parse_args()
    if len(args.texts) >= 1 << BITS:
        parser.error(f'at most {(1 << BITS) - 1} codes: the strip has {BITS} bits')

    def frames_of(seconds):
        return max(0, round(seconds * args.fps))

    ffmpeg = subprocess.Popen(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo',
                               '-pix_fmt', 'gray', '-s', f'{WIDTH}x{HEIGHT}', '-r', str(args.fps), '-i', '-',
                               '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', args.out], stdin=subprocess.PIPE)
    blank = frame(None, 0)
    at = 0
    codes = []

    def write(image, count):
        nonlocal at
        for _ in range(count):
            ffmpeg.stdin.write(image)
        at += count

    write(blank, frames_of(args.lead))
    for i, text in enumerate(args.texts):
        shown = max(1, frames_of(args.show))
        codes.append({'number': i + 1, 'text': text, 'firstFrame': at, 'lastFrame': at + shown - 1})
        write(frame(text, i + 1), shown)
        write(blank, frames_of(args.gap))
    write(blank, frames_of(args.tail))
    ffmpeg.stdin.close()
    if ffmpeg.wait() != 0:
        sys.exit('ffmpeg failed')
    json.dump({'file': args.out, 'width': WIDTH, 'height': HEIGHT, 'fps': args.fps, 'frames': at,
               'strip': {'x': STRIP_X, 'y': STRIP_Y, 'cell': CELL, 'bits': BITS}, 'codes': codes}, sys.stdout)
    print()


if __name__ == '__main__':
    main()
