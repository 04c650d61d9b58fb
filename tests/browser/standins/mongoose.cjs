// Stand-in for mongoose: the showcase server waits for its database before registering routes.
exports.connect = async () => undefined
exports.default = exports
