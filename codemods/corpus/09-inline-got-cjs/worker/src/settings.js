'use strict';

const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`missing env ${name}`);
  return value;
};

module.exports = {
  get apiRoot() {
    return required('CAMPAIGN_API_ROOT');
  },
  workerName: process.env.HOSTNAME || 'got-worker',
};
