'use strict';

class MainServer {
  constructor(baseUrl) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  async #call(method, path, body) {
    for (let i = 0; i < 3; i++) {
      try {
        const res = await fetch(this.baseUrl + path, {
          method,
          headers: body === undefined ? undefined : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (res.ok) return res.json();
        console.warn(`MainServer ${method} ${path}: ${res.status}`);
      } catch (err) {
        console.warn(`MainServer ${method} ${path}: ${err.message}`);
      }
    }
    return null;
  }

  recipientsPage(campaignId, cursor) {
    return this.#call('GET', `/api/campaigns/${campaignId}/recipients?cursor=${encodeURIComponent(cursor)}`);
  }

  postEvents(campaignId, events) {
    return this.#call('POST', `/api/campaigns/${campaignId}/events`, { events });
  }

  putStatus(campaignId, status) {
    return this.#call('PUT', `/api/campaigns/${campaignId}/status`, status);
  }
}

module.exports = { MainServer };
