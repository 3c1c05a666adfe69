var axios = require('axios');

/**
 * request(method, url, body) -> Promise<data|null>
 * Three quick tries; resolves null instead of rejecting so callers never need try/catch.
 */
function request(method, url, body) {
  var tries = 0;
  function go() {
    tries++;
    return axios({ method: method, url: url, data: body, timeout: 10000 }).then(
      function (res) {
        return res.data;
      },
      function (err) {
        if (tries < 3) return go();
        console.error('[client] ' + method + ' ' + url + ' failed: ' + err.message);
        return null;
      }
    );
  }
  return go();
}

module.exports = { request: request };
