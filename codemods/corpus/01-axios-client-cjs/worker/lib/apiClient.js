'use strict';

const axios = require('axios');
const config = require('../config');

// One client for the whole process. The token is static for now (ops rotates it by redeploying).
const apiClient = axios.create({
  baseURL: config.serverUrl,
  timeout: 10000,
  headers: {
    Authorization: `Bearer ${config.apiToken}`,
    'Content-Type': 'application/json',
  },
});

apiClient.interceptors.response.use(
  (response) => response,
  (error) => {
    const url = error.config && error.config.url;
    console.warn(`[api] ${url} failed: ${error.message}`);
    return Promise.reject(error);
  },
);

module.exports = apiClient;
