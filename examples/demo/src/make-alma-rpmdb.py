#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Build the AlmaLinux 9 rpm database of the demo host par-web-02 with Debian's own rpm tools.

Every package below is an empty rpm (no files) built by rpmbuild with the name, epoch, version,
release, architecture, vendor, licence and summary of the real AlmaLinux 9.3 package, grouped by
source package so that SOURCERPM is right, then recorded with `rpm -i --justdb --nodeps` into a
fresh SQLite rpmdb. The install time rpm writes (now) is then set to the day the package was
installed on the host, in each header blob. Needs: rpm, rpmbuild (Debian: apt install rpm).

    examples/demo/src/make-alma-rpmdb.py examples/demo/roots/par-web-02
"""
import calendar
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

VENDOR = "AlmaLinux"
PACKAGER = "AlmaLinux Packaging Team <packager@almalinux.org>"

# source: (epoch, version, release, license, url, built (YYYY-MM-DD), installed, [(name, arch, epoch-override, summary)])
SOURCES = {
    "almalinux-release": ("", "9.3", "1.el9", "GPLv2", "https://almalinux.org", "2023-11-13", "2023-11-20", [
        ("almalinux-release", "x86_64", None, "AlmaLinux release files"),
        ("almalinux-gpg-keys", "x86_64", None, "AlmaLinux RPM keys"),
        ("almalinux-repos", "x86_64", None, "AlmaLinux package repositories")]),
    "bash": ("", "5.1.8", "6.el9_1", "GPLv3+", "https://www.gnu.org/software/bash", "2023-02-02", "2023-11-20", [
        ("bash", "x86_64", None, "The GNU Bourne Again shell")]),
    "coreutils": ("", "8.32", "34.el9", "GPLv3+", "https://www.gnu.org/software/coreutils/", "2023-05-16", "2023-11-20", [
        ("coreutils", "x86_64", None, "A set of basic GNU tools commonly used in shell scripts"),
        ("coreutils-common", "x86_64", None, "coreutils common optional components")]),
    "glibc": ("", "2.34", "83.el9.7", "LGPLv2+ and LGPLv2+ with exceptions and GPLv2+ and GPLv2+ with exceptions and BSD and Inner-Net and ISC and Public Domain and GFDL",
              "http://www.gnu.org/software/glibc/", "2023-10-04", "2023-11-20", [
        ("glibc", "x86_64", None, "The GNU libc libraries"),
        ("glibc-common", "x86_64", None, "Common binaries and locale data for glibc"),
        ("glibc-minimal-langpack", "x86_64", None, "Minimal language packs for glibc.")]),
    "systemd": ("", "252", "18.el9", "LGPLv2+ and MIT and GPLv2+", "https://systemd.io", "2023-11-08", "2023-11-20", [
        ("systemd", "x86_64", None, "System and Service Manager"),
        ("systemd-libs", "x86_64", None, "systemd libraries"),
        ("systemd-pam", "x86_64", None, "systemd PAM module")]),
    "kernel": ("", "5.14.0", "362.8.1.el9_3", "GPLv2 and Redistributable, no modification permitted",
               "https://www.kernel.org/", "2023-11-08", "2023-11-20", [
        ("kernel", "x86_64", None, "The Linux kernel, based on version 5.14.0, heavily modified with backports"),
        ("kernel-core", "x86_64", None, "The Linux kernel"),
        ("kernel-modules", "x86_64", None, "kernel modules to match the core kernel")]),
    "openssl": ("1", "3.0.7", "24.el9", "ASL 2.0", "http://www.openssl.org/", "2023-11-08", "2023-11-20", [
        ("openssl", "x86_64", None, "Utilities from the general purpose cryptography library with TLS implementation"),
        ("openssl-libs", "x86_64", None, "A general purpose cryptography library with TLS implementation")]),
    "curl": ("", "7.76.1", "26.el9", "MIT", "https://curl.se/", "2023-11-08", "2023-11-20", [
        ("curl", "x86_64", None, "A utility for getting files from remote servers (FTP, HTTP, and others)"),
        ("libcurl", "x86_64", None, "A library for getting files from web servers")]),
    "openssh": ("", "8.7p1", "34.el9", "BSD", "http://www.openssh.com/portable.html", "2023-11-08", "2023-11-20", [
        ("openssh", "x86_64", None, "An open source implementation of SSH protocol version 2"),
        ("openssh-clients", "x86_64", None, "An open source SSH client applications"),
        ("openssh-server", "x86_64", None, "An open source SSH server daemon")]),
    "sudo": ("", "1.9.5p2", "9.el9", "ISC", "https://www.sudo.ws", "2023-05-16", "2023-11-20", [
        ("sudo", "x86_64", None, "Allows restricted root access for specified users")]),
    "python3.9": ("", "3.9.18", "1.el9_3", "Python", "https://www.python.org/", "2023-11-15", "2023-11-20", [
        ("python3", "x86_64", None, "Python 3.9 interpreter"),
        ("python3-libs", "x86_64", None, "Python runtime libraries")]),
    "httpd": ("", "2.4.57", "5.el9", "ASL 2.0", "https://httpd.apache.org/", "2023-11-08", "2023-12-04", [
        ("httpd", "x86_64", None, "Apache HTTP Server"),
        ("httpd-core", "x86_64", None, "httpd minimal core"),
        ("httpd-tools", "x86_64", None, "Tools for use with the Apache HTTP Server"),
        ("httpd-filesystem", "noarch", None, "The basic directory layout for the Apache HTTP Server"),
        ("mod_ssl", "x86_64", "1", "SSL/TLS module for the Apache HTTP Server")]),
    "mod_http2": ("", "2.0.26", "1.el9", "ASL 2.0", "https://icing.github.io/mod_h2/", "2023-11-08", "2023-12-04", [
        ("mod_http2", "x86_64", None, "module implementing HTTP/2 for Apache 2")]),
    "apr": ("", "1.7.0", "12.el9_3", "ASL 2.0 and BSD with advertising and ISC and BSD", "https://apr.apache.org/",
            "2023-11-08", "2023-12-04", [
        ("apr", "x86_64", None, "Apache Portable Runtime library")]),
    "apr-util": ("", "1.6.1", "23.el9", "ASL 2.0", "https://apr.apache.org/", "2023-05-16", "2023-12-04", [
        ("apr-util", "x86_64", None, "Apache Portable Runtime Utility library"),
        ("apr-util-bdb", "x86_64", None, "APR utility library Berkeley DB driver"),
        ("apr-util-openssl", "x86_64", None, "APR utility library OpenSSL crypto support")]),
    "git": ("", "2.39.3", "1.el9_2", "GPLv2", "https://git-scm.com/", "2023-05-16", "2023-12-04", [
        ("git", "x86_64", None, "Fast Version Control System"),
        ("git-core", "x86_64", None, "Core package of git with minimal functionality"),
        ("git-core-doc", "noarch", None, "Documentation files for git-core"),
        ("perl-Git", "noarch", None, "Perl interface to Git")]),
    "vim": ("2", "8.2.2637", "20.el9_1", "Vim and MIT", "http://www.vim.org/", "2023-02-02", "2023-11-20", [
        ("vim-minimal", "x86_64", None, "A minimal version of the VIM editor"),
        ("vim-filesystem", "noarch", None, "VIM filesystem layout")]),
    "tzdata": ("", "2023c", "1.el9", "Public Domain", "https://www.iana.org/time-zones", "2023-05-16", "2023-11-20", [
        ("tzdata", "noarch", None, "Timezone data")]),
    "ca-certificates": ("", "2023.2.60_v7.0.306", "90.1.el9_2", "Public Domain", "https://fedoraproject.org/wiki/CA-Certificates",
                        "2023-08-01", "2023-11-20", [
        ("ca-certificates", "noarch", None, "The Mozilla CA root certificate bundle")]),
    "rpm": ("", "4.16.1.3", "25.el9", "GPLv2+", "http://www.rpm.org/", "2023-11-08", "2023-11-20", [
        ("rpm", "x86_64", None, "The RPM package management system"),
        ("rpm-libs", "x86_64", None, "Libraries for manipulating RPM packages")]),
    "dnf": ("", "4.14.0", "8.el9", "GPLv2+", "https://github.com/rpm-software-management/dnf", "2023-11-08", "2023-11-20", [
        ("dnf", "noarch", None, "Package manager"),
        ("python3-dnf", "noarch", None, "Python 3 interface to DNF")]),
    "libxml2": ("", "2.9.13", "5.el9_2", "MIT", "http://xmlsoft.org/", "2023-08-01", "2023-11-20", [
        ("libxml2", "x86_64", None, "Library providing XML and HTML support")]),
    "zlib": ("", "1.2.11", "40.el9", "zlib and Boost", "https://www.zlib.net/", "2023-05-16", "2023-11-20", [
        ("zlib", "x86_64", None, "Compression and decompression library")]),
    "krb5": ("", "1.21.1", "1.el9", "MIT", "https://web.mit.edu/kerberos/www/", "2023-11-08", "2023-11-20", [
        ("krb5-libs", "x86_64", None, "The non-admin shared libraries used by Kerberos 5")]),
    "chrony": ("", "4.3", "1.el9", "GPLv2", "https://chrony.tuxfamily.org", "2023-05-16", "2023-11-20", [
        ("chrony", "x86_64", None, "An NTP client/server")]),
    "firewalld": ("", "1.2.5", "2.el9", "GPLv2+", "http://www.firewalld.org", "2023-11-08", "2023-11-20", [
        ("firewalld", "noarch", None, "A firewall daemon with D-Bus interface providing a dynamic firewall"),
        ("firewalld-filesystem", "noarch", None, "Firewalld directory layout and rpm macros")]),
}

def epoch_seconds(day, hour=9):
    return calendar.timegm(time.strptime(day, "%Y-%m-%d")) + hour * 3600

def spec_text(src, epoch, version, release, lic, url, subs):
    main = next((x for x in subs if x[0] == src), subs[0])
    lines = [f"Name: {src}", f"Version: {version}", f"Release: {release}", f"License: {lic}", f"URL: {url}",
             f"Summary: {main[3]}", f"Vendor: {VENDOR}", f"Packager: {PACKAGER}", "%global debug_package %{nil}"]
    if epoch:
        lines.append(f"Epoch: {epoch}")
    if main[0] == src and main[1] == "noarch":
        lines.append("BuildArch: noarch")
    lines += ["", "%description", f"{main[3]}.", ""]
    if main[0] == src:
        lines += ["%files", ""]
    for name, arch, ep, summary in subs:
        if name == src:
            continue
        lines += [f"%package -n {name}", f"Summary: {summary}"]
        if arch == "noarch":
            lines.append("BuildArch: noarch")
        if ep:
            lines.append(f"Epoch: {ep}")
        lines += ["", f"%description -n {name}", f"{summary}.", "", f"%files -n {name}", ""]
    return "\n".join(lines) + "\n"

def set_installtime(blob, when):
    il, dl = struct.unpack(">II", blob[:8])
    data_start = 8 + 16 * il
    b = bytearray(blob)
    for i in range(il):
        tag, typ, off, cnt = struct.unpack(">IIiI", blob[8 + 16 * i: 24 + 16 * i])
        if tag == 1008:  # RPMTAG_INSTALLTIME
            struct.pack_into(">I", b, data_start + off, when)
            return bytes(b)
    raise SystemExit("no INSTALLTIME in a header")

def main():
    root = os.path.abspath(sys.argv[1])
    dbpath = os.path.join(root, "var/lib/rpm")
    shutil.rmtree(dbpath, ignore_errors=True)
    os.makedirs(dbpath)
    top = tempfile.mkdtemp(prefix="alma-rpmdb-")
    try:
        installed = {}
        for src, (epoch, version, release, lic, url, built, inst, subs) in SOURCES.items():
            spec = os.path.join(top, src + ".spec")
            open(spec, "w").write(spec_text(src, epoch, version, release, lic, url, subs))
            env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch_seconds(built, 6)))
            subprocess.run(["rpmbuild", "-bb", "--quiet", "--define", f"_topdir {top}",
                            "--define", "_buildhost build.almalinux.org", "--define", "distribution AlmaLinux",
                            "--define", "use_source_date_epoch_as_buildtime 1", "--define", "_build_id_links none",
                            "--target", "x86_64", spec], check=True, env=env, stdout=subprocess.DEVNULL)
            for name, arch, ep, summary in subs:
                installed[name] = inst
        rpms = []
        for d, _, files in os.walk(os.path.join(top, "RPMS")):
            rpms += [os.path.join(d, f) for f in files if f.endswith(".rpm")]
        # the main package of each source exists only as a subpackage placeholder: drop the empty "Name:" ones
        wanted = {n for s in SOURCES.values() for n, *_ in s[7]}
        rpms = [r for r in rpms if subprocess.run(["rpm", "-qp", "--qf", "%{NAME}", r], capture_output=True,
                                                  text=True).stdout in wanted]
        # Debian's rpm warns against installing packages unless told it is deliberate
        debian = ["--force-debian"] if "force-debian" in subprocess.run(
            ["rpm", "--help"], capture_output=True, text=True).stdout else []
        subprocess.run(["rpm", "--dbpath", dbpath, "--initdb"], check=True)
        subprocess.run(["rpm"] + debian + ["--dbpath", dbpath, "-i", "--justdb", "--nodeps", "--noscripts", "--notriggers",
                        "--nosignature", "--nodigest"] + sorted(rpms), check=True)
        db = sqlite3.connect(os.path.join(dbpath, "rpmdb.sqlite"))
        for hnum, blob in db.execute("SELECT hnum, blob FROM Packages").fetchall():
            name = None
            # NAME (tag 1000) of the header
            il = struct.unpack(">I", blob[:4])[0]
            for i in range(il):
                tag, typ, off, cnt = struct.unpack(">IIiI", blob[8 + 16 * i: 24 + 16 * i])
                if tag == 1000:
                    s = blob[8 + 16 * il + off:]
                    name = s[: s.index(b"\0")].decode()
            when = epoch_seconds(installed[name], 10)
            db.execute("UPDATE Packages SET blob = ? WHERE hnum = ?", (set_installtime(bytes(blob), when), hnum))
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("VACUUM")
        db.close()
        for f in os.listdir(dbpath):
            if f != "rpmdb.sqlite":
                os.remove(os.path.join(dbpath, f))
        q = subprocess.run(["rpm", "--dbpath", dbpath, "-qa", "--qf",
                            "%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}.%{ARCH} %{SOURCERPM} %{INSTALLTIME:date}\n"],
                           capture_output=True, text=True, check=True).stdout
        sys.stdout.write(q)
    finally:
        shutil.rmtree(top)

main()
