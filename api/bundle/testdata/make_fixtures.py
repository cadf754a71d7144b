#!/usr/bin/env python3
"""Hostile certificate archives for bundle_test.go, written by Python's
zipfile (an implementation other than the Go one certwiz reads them with).
Run from this folder: python3 make_fixtures.py"""
import zipfile

PEM = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def archive(name, entries):
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if isinstance(info, str):
                info = zipfile.ZipInfo(info, date_time=(2025, 1, 1, 0, 0, 0))
                info.external_attr = 0o100600 << 16
            info.create_system = 3  # Unix: the mode bits below count
            z.writestr(info, data)


def symlink(name, target):
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.external_attr = 0o120777 << 16
    return info, target


archive("zipslip.zip", [("www.example.com_nginx/www.example.com_bundle.crt", PEM),
                        ("../evil.txt", b"outside\n")])
archive("absolute.zip", [("www.example.com_nginx/www.example.com_bundle.crt", PEM),
                         ("/abs.txt", b"outside\n")])
archive("nested-slip.zip", [("www.example.com_nginx/../../evil.txt", b"outside\n")])
archive("backslash.zip", [("..\\evil.txt", b"outside\n")])
archive("drive.zip", [("C:/evil.txt", b"outside\n")])
archive("symlink.zip", [symlink("www.example.com_nginx/www.example.com.key", b"/etc/shadow")])
archive("duplicate.zip", [("a/x.crt", PEM), ("A/X.crt", PEM)])
archive("too-many.zip", [("f%03d.txt" % i, b"x") for i in range(65)])
