'use strict';

const http = require('http');
const https = require('https');
const { URL } = require('url');

// Sends a JSON body; resolves with the parsed answer, rejects on network errors and non-2xx.
function sendJson(method, url, body) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const payload = Buffer.from(JSON.stringify(body));
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.request(
      target,
      { method, headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length } },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          raw += chunk;
        });
        res.on('end', () => {
          if (res.statusCode >= 200 && res.statusCode < 300) {
            try {
              resolve(raw ? JSON.parse(raw) : null);
            } catch (err) {
              reject(err);
            }
          } else {
            reject(new Error(method + ' ' + url + ' -> ' + res.statusCode + ' ' + raw));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

module.exports = { sendJson };
