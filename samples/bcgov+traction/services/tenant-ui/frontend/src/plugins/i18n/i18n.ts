// Sample stand-in for the app's vue-i18n setup
export default {
  install() {},
};
