// Fixture stand-in for the app's translations plugin
export default {
  install() {},
};
