#!/usr/bin/python3
# make-udfpatch-seeds.py - build the seed corpus of the udfpatch fuzz target
#
# Each seed is what fuzz-udfpatch.c reads: an 8-byte header that sets up
# the job, then the sectors of a real UDF image that the target maps back
# into place (256, 32-37, 64-65, then 257 up to the partition's last
# descriptor), trailing zero bytes dropped.  The images are small trees
# written by genisoimage -udf (UDF 1.02) and pycdlib (UDF 2.60), some with
# a File Entry rewritten by tests/builder/make-udf-sample's editors (long_ad,
# Extended File Entry, extended attributes, embedded data, ext_ad, a bad
# CRC, a metadata partition map): the cases t0260-udfpatch.sh runs whole;
# and some with a damaged directory (an allocation descriptor past the
# File Entry's sector, an empty extent, a nameless identifier), which the
# directory walker (isofs/udfwalk.c) must refuse.
# Dates, the volume set identifier and pycdlib's unique ids are pinned,
# so the output is deterministic; rerun after changing the target's
# mapping and commit the result.
#
#   tests/fuzz/make-udfpatch-seeds.py [--out DIR]
#
# Needs genisoimage and Debian's python3-pycdlib (the system interpreter).
#
# SPDX-License-Identifier: MIT

import argparse
import importlib.machinery
import importlib.util
import io
import os
import random
import shutil
import struct
import subprocess
import tempfile
import time

SECTOR = 2048
HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, '..', 'builder', 'make-udf-sample')

# The target's fixed windows: (first image sector, count); then the
# partition's first sectors from PARTITION on, as many as the seed gives.
WINDOWS = [(256, 1), (32, 6), (64, 2)]
PARTITION = 257
PARTITION_MAX = 64

# Header flags (fuzz-udfpatch.c).
RESEAL, SECOND, SECOND_SAME, OLD_END_UNSET, FOLD, END_ANCHOR, ONLY_END_ANCHOR, ADD = \
    1, 2, 4, 8, 16, 32, 64, 128

# 2009-07-22 00:00:00 UTC, when Windows 7 went to manufacturing.
EPOCH = 1248220800

SMALL = [('/README.TXT', 120), ('/sources/boot.wim', 1000)]
EFI = SMALL + [('/efi/microsoft/boot/efisys.bin', 2880)]


def load_sample():
    loader = importlib.machinery.SourceFileLoader('make_udf_sample', SAMPLE)
    spec = importlib.util.spec_from_loader('make_udf_sample', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


sample = load_sample()


def content(path, size):
    return random.Random(path).randbytes(size)


def make_tree(tree, files):
    for path, size in files:
        dest = os.path.join(tree, path.lstrip('/'))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'wb') as f:
            f.write(content(path, size))
    for root, dirs, names in os.walk(tree):
        for name in dirs + names:
            os.utime(os.path.join(root, name), (EPOCH, EPOCH))
    os.utime(tree, (EPOCH, EPOCH))


def udf_time():
    """A UDF timestamp (ECMA-167 1/7.3) of EPOCH, UTC."""
    t = time.gmtime(EPOCH)
    return struct.pack('<HhBBBBBBBB', 0x1000, t.tm_year, t.tm_mon, t.tm_mday,
                       t.tm_hour, t.tm_min, t.tm_sec, 0, 0, 0)


def pin_genisoimage(image):
    """genisoimage stamps the time of the run into the primary volume
    descriptor (its recording time and, in hex, the volume set
    identifier), the integrity descriptor and the file set descriptor."""
    sectors = []
    start = None
    for sector, block in sample.vds(image):
        sectors.append(sector)
        tag, = struct.unpack_from('<H', block, 0)
        if tag == 5:
            start, = struct.unpack_from('<I', block, 188)
        elif tag == 6:
            lvid, = struct.unpack_from('<I', block, 436)
            fsd, = struct.unpack_from('<I', block, 252)
    sectors += [lvid, start + fsd]
    with open(image, 'r+b') as f:
        for sector in sectors:
            block = sample.read_sector(f, sector)
            tag, = struct.unpack_from('<H', block, 0)
            crc_length, = struct.unpack_from('<H', block, 10)
            if tag == 1:
                block[376:388] = udf_time()
                block[73:89] = b'4A5BB2F000000000'
            elif tag in (9, 256):
                block[16:28] = udf_time()
            else:
                continue
            # A file set descriptor names its block in the partition.
            sample.seal(block, fsd if tag == 256 else sector, crc_length)
            sample.write_sector(f, sector, block)


def make_genisoimage(image, tree):
    subprocess.run(['genisoimage', '-quiet', '-V', 'GRMCPRXFRER_EN_DVD', '-iso-level', '3',
                    '-udf', '-o', image, tree], check=True)
    pin_genisoimage(image)


def make_pycdlib(image, files):
    import pycdlib

    # pycdlib reads the clock and random numbers: both pinned.
    clock = time.time
    time.time = lambda: float(EPOCH)
    random.seed(7)
    try:
        iso = pycdlib.PyCdlib()
        iso.new(udf='2.60', interchange_level=4, vol_ident='GRMCPRXFRER_EN_DVD')
        made = set()
        for path, _ in files:
            parts = path.strip('/').split('/')[:-1]
            for i in range(1, len(parts) + 1):
                sub = '/' + '/'.join(parts[:i])
                if sub not in made:
                    iso.add_directory(udf_path=sub)
                    made.add(sub)
        for path, size in files:
            data = content(path, size)
            if path == '/README.TXT':
                iso.add_fp(io.BytesIO(data), size, iso_path='/README.TXT;1', udf_path=path)
            else:
                iso.add_fp(io.BytesIO(data), size, udf_path=path)
        iso.write(image)
        iso.close()
    finally:
        time.time = clock


def is_descriptor(block, first=256, last=266):
    """A descriptor tag (by its checksum) with an id from first to last:
    by default one of a partition's (ECMA-167 part 4)."""
    tag, = struct.unpack_from('<H', block, 0)
    return first <= tag <= last and sum(block[0:4] + block[5:16]) & 0xFF == block[4]


def partition_end(image):
    with open(image, 'rb') as f:
        if not is_descriptor(sample.read_sector(f, 256).ljust(SECTOR, b'\0'), 2, 2):
            return 0
    for _, block in sample.vds(image):
        if struct.unpack_from('<H', block, 0)[0] == 5:
            return sum(struct.unpack_from('<II', block, 188))
    return 0


def seed_bytes(image, flags=0, gap=0, tail_gap=0, padding=None, size=300000):
    """The header, then the sectors the target maps.  Unless told, the
    padding makes the old image end where the partition does, as on the
    real medium, so a small new file still lies past it."""
    with open(image, 'rb') as f:
        out = bytearray()
        for first, count in WINDOWS:
            for sector in range(first, first + count):
                out += sample.read_sector(f, sector).ljust(SECTOR, b'\0')
        # The partition: through its last descriptor (file data follows).
        blocks = [sample.read_sector(f, PARTITION + i).ljust(SECTOR, b'\0')
                  for i in range(PARTITION_MAX)]
    last = max((i for i, b in enumerate(blocks) if is_descriptor(b)), default=-1)
    for block in blocks[:last + 1]:
        out += block
    if padding is None:
        padding = min(max(partition_end(image) - (PARTITION + last + 1), 0), 255)
    header = struct.pack('<BBBBI', flags, gap, tail_gap, padding, size // 2)
    return header + bytes(out).rstrip(b'\0')


def edit(image, path, change):
    sector = sample.fe_sectors(image, [path])[path]
    sample.edit_entry(image, sector, change)


def edit_raw(image, sector, change):
    """change(block) on the descriptor at sector, sealed again where it
    says it is, over the CRC length it gives."""
    with open(image, 'r+b') as f:
        block = sample.read_sector(f, sector)
        change(block)
        location, = struct.unpack_from('<I', block, 12)
        crc_length, = struct.unpack_from('<H', block, 10)
        sample.seal(block, location, crc_length)
        sample.write_sector(f, sector, block)


def directory_entry(image, path, change):
    """change a directory's File Entry (the walker must check it)."""
    edit_raw(image, sample.fe_sectors(image, [path])[path], change)


def directory_data(image, path, change):
    """change the first sector of a directory's identifiers (its first
    one, the parent's, is sealed again)."""
    with open(image, 'rb') as f:
        fe = sample.read_sector(f, sample.fe_sectors(image, [path])[path])
    l_ea, = struct.unpack_from('<I', fe, 168)
    position, = struct.unpack_from('<I', fe, 176 + l_ea + 4)
    edit_raw(image, sample.part_start(image) + position, change)


def ea_past_sector(block):
    struct.pack_into('<I', block, 168, 0x7FFF0000)


def empty_extent(block):
    l_ea, = struct.unpack_from('<I', block, 168)
    struct.pack_into('<I', block, 176 + l_ea, 0)


def nameless(block):
    """The parent's identifier made an entry with no name, one that says
    it is 8-bit."""
    l_iu, = struct.unpack_from('<H', block, 36)
    block[18] &= ~0x08
    block[38 + l_iu] = 8


def main():
    parser = argparse.ArgumentParser(prog='make-udfpatch-seeds.py')
    parser.add_argument('--out', default=os.path.join(HERE, 'seeds', 'udfpatch'))
    args = parser.parse_args()
    os.environ['TZ'] = 'UTC'
    time.tzset()
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix='udfpatch-seeds.')
    boot = '/sources/boot.wim'
    # (seed name, maker, tree, File Entry edits, header fields)
    seeds = [
        ('genisoimage-102', 'genisoimage', SMALL, [], dict()),
        ('pycdlib-260', 'pycdlib', SMALL, [], dict(flags=RESEAL, gap=2, tail_gap=1)),
        ('genisoimage-two-files', 'genisoimage', EFI, [],
         dict(flags=SECOND | OLD_END_UNSET, gap=5)),
        ('pycdlib-two-files-end-anchor', 'pycdlib', EFI, [],
         dict(flags=SECOND | END_ANCHOR, tail_gap=7)),
        # The anchor only at the end, sector 256 blank: it must be found
        # there, and the new image get one at 256 and at its end.
        ('genisoimage-only-end-anchor', 'genisoimage', SMALL, [],
         dict(flags=END_ANCHOR | ONLY_END_ANCHOR)),
        ('pycdlib-two-files-only-end-anchor', 'pycdlib', EFI, [],
         dict(flags=SECOND | END_ANCHOR | ONLY_END_ANCHOR, tail_gap=3)),
        ('pycdlib-same-entry-twice', 'pycdlib', SMALL, [],
         dict(flags=SECOND | SECOND_SAME)),
        ('genisoimage-3gib-folded', 'genisoimage', SMALL, [],
         dict(flags=FOLD | END_ANCHOR, size=3 * 2**30 + 4094)),
        ('genisoimage-empty-file', 'genisoimage', SMALL, [], dict(size=0)),
        ('pycdlib-long-ad', 'pycdlib', SMALL, [(boot, sample.to_long_ad)],
         dict(size=2**31 + 2)),
        ('pycdlib-efe', 'pycdlib', SMALL, [(boot, sample.to_extended)], dict()),
        ('genisoimage-ea', 'genisoimage', SMALL, [(boot, sample.with_ea(64))], dict()),
        ('pycdlib-embedded', 'pycdlib', SMALL, [(boot, 'embed')], dict(size=1000)),
        ('genisoimage-ext-ad', 'genisoimage', SMALL, [(boot, sample.ad_kind(2))], dict()),
        ('pycdlib-bad-crc', 'pycdlib', SMALL, [(boot, sample.damage)], dict()),
        ('pycdlib-metadata-map', 'pycdlib', SMALL, ['metadata-map'], dict()),
        ('iso9660-only', 'iso9660', SMALL, [], dict()),
        # Damaged directories, which the walker refuses by name.
        ('genisoimage-root-ea-past-sector', 'genisoimage', SMALL,
         [('/', directory_entry, ea_past_sector)], dict()),
        ('pycdlib-sources-ea-past-sector', 'pycdlib', SMALL,
         [('/sources', directory_entry, ea_past_sector)], dict()),
        ('pycdlib-root-empty-extent', 'pycdlib', SMALL,
         [('/', directory_entry, empty_extent)], dict()),
        ('genisoimage-sources-nameless', 'genisoimage', SMALL,
         [('/sources', directory_data, nameless)], dict()),
        # Files added: new folders under the root, a file into /sources;
        # directories of each kind the adds rewrite.
        ('genisoimage-add', 'genisoimage', SMALL, [], dict(flags=ADD)),
        ('pycdlib-add-two-files', 'pycdlib', EFI, [], dict(flags=ADD | SECOND, gap=1)),
        ('pycdlib-add-embedded-sources', 'pycdlib', SMALL, [('/sources', 'embed')],
         dict(flags=ADD, tail_gap=2)),
        ('pycdlib-add-efe-root', 'pycdlib', SMALL, [('/', sample.to_extended)],
         dict(flags=ADD | END_ANCHOR)),
        ('genisoimage-add-sources-nameless', 'genisoimage', SMALL,
         [('/sources', directory_data, nameless)], dict(flags=ADD)),
    ]
    try:
        for name, maker, files, edits, head in seeds:
            image = os.path.join(work, name + '.iso')
            tree = os.path.join(work, name + '.tree')
            make_tree(tree, files)
            if maker == 'pycdlib':
                make_pycdlib(image, files)
            elif maker == 'genisoimage':
                make_genisoimage(image, tree)
            else:
                subprocess.run(['genisoimage', '-quiet', '-o', image, tree], check=True)
            for change in edits:
                if change == 'metadata-map':
                    sample.metadata_map(image)
                elif len(change) == 3:
                    change[1](image, change[0], change[2])
                elif change[1] == 'embed':
                    edit(image, change[0], sample.embedded(image))
                else:
                    edit(image, *change)
            with open(os.path.join(args.out, name + '.bin'), 'wb') as f:
                f.write(seed_bytes(image, **head))
    finally:
        shutil.rmtree(work)


if __name__ == '__main__':
    main()
