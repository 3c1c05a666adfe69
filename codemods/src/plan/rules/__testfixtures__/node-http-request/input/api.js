const http = require('node:http');

function sendJson(method, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => resolve(res.statusCode));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

module.exports = { sendJson };
