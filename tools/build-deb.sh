#!/bin/sh
# `make deb`: build himoya_VERSION_amd64.deb in the project's root with
# dpkg-deb: a release build (build-release, Debian's hardening flags, the
# UI compiled in), the man pages made from the README (tools/gen_man.py),
# the configuration as a conffile, the systemd units and the maintainer
# scripts of pkg/.  Depends comes from the libraries the binary links
# (dpkg-shlibdeps), plus adduser for postinst.
#
# VERSION is meson.build's project version; HIMOYA_DEB_VERSION overrides
# it (tools/deb-check.sh builds a second, newer package to upgrade to).
set -eu
umask 022
cd "$(dirname "$0")/.."

version=${HIMOYA_DEB_VERSION:-$(meson introspect --projectinfo meson.build |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')}
build=build-release
# The date of the last commit, so that the same commit makes the same package.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" --buildtype=release -Dbrowser_tests=false \
		-Dc_args="-D_FORTIFY_SOURCE=2" -Dc_link_args="-Wl,-z,relro,-z,now" >/dev/null
fi
meson compile -C "$build" himoya >/dev/null

stage=$build/deb
root=$stage/root
rm -rf "$stage"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/man/man5" \
	"$root/usr/share/doc/himoya" "$root/etc/himoya" "$root/lib/systemd/system" "$stage/debian"

install -m 0755 "$build/himoya" "$root/usr/bin/himoya"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/himoya"

date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
python3 tools/gen_man.py README.md "$version" "$date" "$stage"
gzip -9n <"$stage/himoya.1" >"$root/usr/share/man/man1/himoya.1.gz"
gzip -9n <"$stage/himoya.conf.5" >"$root/usr/share/man/man5/himoya.conf.5.gz"

install -m 0644 pkg/himoya.conf "$root/etc/himoya/himoya.conf"
for u in himoya.service himoya-backup.service himoya-backup.timer; do
	install -m 0644 "pkg/$u" "$root/lib/systemd/system/$u"
done
install -m 0644 pkg/copyright "$root/usr/share/doc/himoya/copyright"
maintainer=$(sed -n 's/^Maintainer: //p' pkg/control.in)
{
	printf 'himoya (%s) unstable; urgency=medium\n\n' "$version"
	printf '  * Release %s; see README.md of the source for what it does.\n\n' "$version"
	printf ' -- %s  %s\n' "$maintainer" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$root/usr/share/doc/himoya/changelog.gz"

for s in postinst prerm postrm; do
	install -m 0755 "pkg/$s" "$root/DEBIAN/$s"
done
install -m 0644 pkg/conffiles "$root/DEBIAN/conffiles"

# Depends: what the binary links, as Debian's symbols files say (dpkg-shlibdeps
# wants a debian/control beside it).
printf 'Source: himoya\n\nPackage: himoya\nArchitecture: amd64\n' >"$stage/debian/control"
shlibs=$(cd "$stage" && dpkg-shlibdeps -O -e root/usr/bin/himoya 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no libraries" >&2; exit 1; }

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" -e "s/@SHLIBS@/$shlibs/" pkg/control.in \
	>"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort |
	xargs md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"

deb=himoya_${version}_amd64.deb
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "built $deb"
echo "Depends: $shlibs, adduser, tzdata"
