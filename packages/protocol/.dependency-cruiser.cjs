// This package's import rules on top of the shared ones (../../.dependency-cruiser.cjs).
const { packageRules } = require('../../.dependency-cruiser.cjs');

module.exports = packageRules('protocol', []);
