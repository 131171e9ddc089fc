#!/usr/bin/env python3
# make-eltorito-seeds.py - build the seed corpus of the El Torito fuzz target
#
# Each seed is what fuzz-eltorito.c reads: either a bare boot catalog, or
# the boot record sector (2048 bytes) followed by the catalog.  The
# Microsoft-like ones follow the layout of Windows 7 media (BIOS default
# entry for etfsboot.com, one final UEFI section for efisys.bin); the
# xorriso ones are the sectors 17 and 33 of ISOs xorriso writes (made
# here when xorriso is installed).  LBAs fit the target's 4096-sector
# image.  Output is deterministic.
#
#   make-eltorito-seeds.py [--out DIR]
#
# SPDX-License-Identifier: MIT

import argparse
import os
import shutil
import struct
import subprocess
import tempfile

SECTOR = 2048


def validation(platform, ident=b""):
    entry = bytearray(32)
    entry[0] = 1
    entry[1] = platform
    entry[4:4 + len(ident)] = ident
    entry[30:32] = b"\x55\xaa"
    total = sum(struct.unpack("<16H", bytes(entry))) & 0xFFFF
    entry[28:30] = struct.pack("<H", (0x10000 - total) & 0xFFFF)
    return entry


def entry(indicator, media, sectors, lba, load_segment=0):
    return bytearray(struct.pack("<BBHBBHI20x", indicator, media, load_segment,
                                 0, 0, sectors, lba))


def header(indicator, platform, count):
    return bytearray(struct.pack("<BBH28x", indicator, platform, count))


def boot_record(catalog_lba, ident=b"EL TORITO SPECIFICATION"):
    sector = bytearray(SECTOR)
    sector[0:7] = b"\x00CD001\x01"
    sector[7:7 + len(ident)] = ident
    sector[71:75] = struct.pack("<I", catalog_lba)
    return sector


def sector_of(*parts):
    data = b"".join(bytes(p) for p in parts)
    return data + bytes(SECTOR - len(data))


def microsoft(uefi_sectors):
    return sector_of(validation(0), entry(0x88, 0, 8, 0x1d3, 0x07c0),
                     header(0x91, 0xEF, 1), entry(0x88, 0, uefi_sectors, 0x1d7))


def xorriso_seeds(out):
    if not shutil.which("xorriso"):
        print("xorriso not found: no xorriso seeds")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        os.mkdir(tree)
        for name, size in (("boot.img", 2048), ("boot2.img", 2048),
                           ("efi.img", 2880 * 512)):
            with open(os.path.join(tree, name), "wb") as f:
                f.write(bytes(size))
        layouts = {
            "xorriso-bios-uefi.bin": ["-b", "boot.img", "-no-emul-boot",
                                      "-boot-load-size", "4", "-eltorito-alt-boot",
                                      "-e", "efi.img", "-no-emul-boot"],
            "xorriso-three-sections.bin": ["-b", "boot.img", "-no-emul-boot",
                                           "-boot-load-size", "4", "-eltorito-alt-boot",
                                           "-e", "efi.img", "-no-emul-boot",
                                           "-eltorito-alt-boot", "-b", "boot2.img",
                                           "-no-emul-boot", "-boot-load-size", "4"],
        }
        for name, args in layouts.items():
            iso = os.path.join(tmp, "x.iso")
            subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso] + args
                           + [tree], check=True, stderr=subprocess.DEVNULL)
            with open(iso, "rb") as f:
                f.seek(17 * SECTOR)
                record = f.read(SECTOR)
                lba = struct.unpack_from("<I", record, 71)[0]
                f.seek(lba * SECTOR)
                catalog = f.read(SECTOR)
            write(out, name, record + catalog)


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__),
                                                      "seeds", "eltorito"))
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)

    write(out, "microsoft-record-and-catalog.bin", boot_record(22) + microsoft(1))
    write(out, "microsoft-uefi-2880.bin", microsoft(2880))
    write(out, "microsoft-truncated.bin", microsoft(1)[:100])
    write(out, "uefi-only.bin", sector_of(validation(0xEF, b"UEFI"),
                                          entry(0x88, 0, 2880, 40)))
    ext = entry(0x00, 0x22, 4, 61)
    ext[12] = 1
    write(out, "extensions.bin", sector_of(
        validation(2), entry(0x88, 4, 1, 60), header(0x90, 1, 2), ext,
        bytes([0x44, 0x20]) + bytes(30), bytes([0x44, 0x00]) + bytes(30),
        entry(0x88, 0x0E, 4, 62), header(0x91, 0xEF, 1), entry(0x88, 0, 4, 63)))
    bad = bytearray(microsoft(1))
    bad[28] ^= 1
    write(out, "bad-checksum.bin", bytes(bad))
    write(out, "other-boot-system.bin",
          boot_record(22, b"EL TORITO SPECIFICATIOM") + microsoft(1))
    xorriso_seeds(out)


if __name__ == "__main__":
    main()
