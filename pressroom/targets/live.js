// Live reload for `build.py watch`: ask the server for the build number, reload when it changes,
// and show the build's errors in a banner (the page itself stays the last good one).
(function () {
  var seen = null;
  function banner(text) {
    var box = document.getElementById('pressroom-build-error');
    if (!text) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement('pre');
      box.id = 'pressroom-build-error';
      box.className = 'build-error';
      box.setAttribute('role', 'alert');
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent = text;
  }
  var version = -1;
  // Long polling: the server answers as soon as something happens (or after 25 s).
  function poll() {
    fetch('/__pressroom__/status?since=' + version, { cache: 'no-store' }).then(function (response) {
      return response.json();
    }).then(function (status) {
      if (seen !== null && status.build !== seen) { location.reload(); return; }
      seen = status.build;
      version = status.version;
      banner(status.errors);
      poll();
    }).catch(function () { setTimeout(poll, 1000); });
  }
  fetch('/__pressroom__/status', { cache: 'no-store' }).then(function (response) {
    return response.json();
  }).then(function (status) {
    seen = status.build;
    version = status.version;
    banner(status.errors);
    poll();
  }).catch(function () { setTimeout(poll, 1000); });
}());
