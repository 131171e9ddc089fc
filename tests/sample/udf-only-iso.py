#!/usr/bin/python3
# udf-only-iso.py - master a tree as Microsoft masters Windows 7 DVDs
#
#   /usr/bin/python3 udf-only-iso.py --label LABEL --readme FILE \
#       --bios REL --efi REL TREE OUT.iso
#
# Every file and folder of TREE is only in UDF; the ISO 9660 tree holds
# README.TXT (FILE's bytes) and nothing else; there is no Joliet. The El
# Torito catalog has a BIOS entry for TREE/REL (--bios: no emulation, 8
# sectors) and a UEFI one (--efi: platform 0xEF, no emulation); the boot
# images and the catalog have no ISO 9660 name (the images keep their UDF
# one). The UDF volume identifiers say LABEL too. File data is streamed
# from TREE.
#
# The UDF is revision 1.02, as on Microsoft's media: pycdlib's
# udf='2.60' option writes NSR02, domain and implementation-use
# revision 0x0102 (7zz and udfinfo report 1.02).
#
# Helper of make-sample-iso; needs python3-pycdlib (1.12, Debian 12),
# and works around three pycdlib 1.12 faults:
#   - a file over 0x3ffff800 bytes gets several UDF extents, but pycdlib
#     places extent N at the file's first block + N (not after extent
#     N-1), so readers get wrong data after the first GiB;
#   - a file over 0xfffff800 bytes is added as several files of the same
#     name (one per ISO 9660 extent) instead of one UDF file entry with
#     several extents, as UDF and Microsoft's CDIMAGE do;
#   - UDF timestamps get the month as the day of the month.
# All three are mended here: one file entry, extents placed one after
# another, the right day.
#
# SPDX-License-Identifier: MIT
import argparse
import io
import os
import sys
import time

try:
    import pycdlib
    from pycdlib import inode as pycdlib_inode
    from pycdlib import udf as pycdlib_udf
except ImportError:
    sys.exit('udf-only-iso.py: python3-pycdlib not found (tools/install-deps)')

BLOCK = 2048
# Largest ISO 9660 extent pycdlib makes; above it, add_file splits a file.
ISO_EXTENT_MAX = 0xfffff800


def die(msg):
    sys.exit('udf-only-iso.py: ' + msg)


def mend_pycdlib():
    '''Mend pycdlib 1.12's UDF extent placement and timestamps (see the
    header); add_udf_file mends the split.'''
    entry = pycdlib_udf.UDFFileEntry
    if not hasattr(entry, 'set_data_location') or not hasattr(entry, 'is_file') \
            or not hasattr(pycdlib_udf, 'UDFTimestamp'):
        die('this pycdlib is not the one this helper knows (1.12)')
    original = entry.set_data_location

    def set_data_location(self, current_extent, start_extent):
        if not self.is_file():
            return original(self, current_extent, start_extent)
        block = start_extent
        for desc in self.alloc_descs:
            desc.log_block_num = block
            block += (desc.extent_length + BLOCK - 1) // BLOCK
        return None

    entry.set_data_location = set_data_location

    stamp = pycdlib_udf.UDFTimestamp
    original_new = stamp.new

    def new(self):
        original_new(self)
        self.day = time.localtime().tm_mday

    stamp.new = new


def add_udf_file(iso, path, udf_path):
    '''TREE file PATH as UDF_PATH only, as one UDF file entry however big.'''
    length = os.stat(path).st_size
    if length <= ISO_EXTENT_MAX:
        iso.add_file(path, udf_path=udf_path)
        return
    # What PyCdlib.add_file does for one extent, for a UDF-only file of
    # any size (the ISO 9660 limit that makes add_file split does not
    # apply: the file has no ISO 9660 record).
    for name in ('_add_hard_link_to_inode', '_finish_add', 'inodes'):
        if not hasattr(iso, name):
            die('this pycdlib is not the one this helper knows (1.12)')
    ino = pycdlib_inode.Inode()
    ino.new(length, path, True, 0)
    added = length + iso._add_hard_link_to_inode(ino, length, 0, False,
                                                 udf_new_path=udf_path)
    iso.inodes.append(ino)
    iso._finish_add(0, added)


def set_udf_label(iso, label):
    '''pycdlib names every UDF volume "CDROM"; Windows shows the UDF
    logical volume identifier as the DVD's label.'''
    pad = pycdlib_udf._ostaunicode_zero_pad
    for descs in (iso.udf_main_descs, iso.udf_reserve_descs):
        for pvd in descs.pvds:
            pvd.vol_ident = pad(label, 32)
        for lvd in descs.logical_volumes:
            lvd.logical_vol_ident = pad(label, 128)
        for impl in descs.impl_use:
            impl.impl_use.log_vol_ident = pad(label, 128)
    iso.udf_file_set.log_vol_ident = pad(label, 128)
    iso.udf_file_set.file_set_ident = pad(label, 32)


def main():
    parser = argparse.ArgumentParser(prog='udf-only-iso.py')
    parser.add_argument('--label', required=True)
    parser.add_argument('--readme', required=True)
    parser.add_argument('--bios', required=True)
    parser.add_argument('--efi', required=True)
    parser.add_argument('tree')
    parser.add_argument('out')
    args = parser.parse_args()

    mend_pycdlib()
    tree = os.path.abspath(args.tree)
    # Temporary ISO 9660 names: add_eltorito finds a boot image by one.
    boot_names = {args.bios.strip('/'): '/ETFSBOOT.COM;1',
                  args.efi.strip('/'): '/EFISYS.BIN;1'}
    for rel in boot_names:
        if not os.path.isfile(os.path.join(tree, rel)):
            die('%s: no such file in %s' % (rel, tree))

    iso = pycdlib.PyCdlib()
    # Level 3 only lifts pycdlib's 4 GiB check; no level is recorded.
    iso.new(interchange_level=3, vol_ident=args.label, udf='2.60')

    with open(args.readme, 'rb') as f:
        readme = f.read()
    iso.add_fp(io.BytesIO(readme), len(readme), iso_path='/README.TXT;1')

    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, tree)
        rel_dir = '' if rel_dir == '.' else rel_dir.replace(os.sep, '/')
        if rel_dir:
            iso.add_directory(udf_path='/' + rel_dir)
        for name in sorted(filenames):
            rel = (rel_dir + '/' + name) if rel_dir else name
            path = os.path.join(dirpath, name)
            if rel in boot_names:
                iso.add_file(path, iso_path=boot_names[rel], udf_path='/' + rel)
            else:
                add_udf_file(iso, path, '/' + rel)

    bios = boot_names[args.bios.strip('/')]
    efi = boot_names[args.efi.strip('/')]
    iso.add_eltorito(bios, bootcatfile='/BOOT.CAT;1', boot_load_size=8,
                     media_name='noemul', platform_id=0,
                     udf_bootcatfile='/BOOT.CAT')
    iso.add_eltorito(efi, bootcatfile='/BOOT.CAT;1', media_name='noemul',
                     efi=True)
    # Leave the boot images only their UDF names, the catalog none.
    iso.rm_hard_link(iso_path=bios)
    iso.rm_hard_link(iso_path=efi)
    iso.rm_hard_link(iso_path='/BOOT.CAT;1')
    iso.rm_hard_link(udf_path='/BOOT.CAT')

    set_udf_label(iso, args.label)
    iso.write(args.out, blocksize=1 << 20)
    iso.close()


if __name__ == '__main__':
    main()
