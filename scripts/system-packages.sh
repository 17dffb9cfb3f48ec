#!/bin/sh
# Install the Debian packages the build and tests need, when run as root and missing.
# libharfbuzz-subset0 halves WeasyPrint's time (font subsetting); poppler-utils gives
# pdftotext/pdftoppm/pdffonts to the tests; qpdf checks PDF structure; chromium and
# chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver) run the web edition's browser tests.
set -e
PACKAGES="libharfbuzz-subset0 poppler-utils qpdf chromium chromium-driver"
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
