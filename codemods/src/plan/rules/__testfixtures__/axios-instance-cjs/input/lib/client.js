'use strict';

const axios = require('axios');

module.exports = axios.create({ baseURL: process.env.MAIN_URL, headers: { authorization: 'Bearer t' } });
