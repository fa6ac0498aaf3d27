// eslint for the front end (make lint): native ES modules in the browser, no build step.
// The vendored UMD files (Socket.IO client, Chart.js) are loaded with classic script tags and used
// through the globals they define.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["loket/static/vendor/**", "node_modules/**", "test-artifacts/**", ".venv/**"] },
  js.configs.recommended,
  {
    files: ["loket/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, io: "readonly", Chart: "readonly" },
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module" },
  },
];
