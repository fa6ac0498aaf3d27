/* The board's state as the server last sent it (display.state, plus the calls since), shared by its modules. */

export var $ = function (id) {
  return document.getElementById(id);
};

export var state = {
  day: null,
  calls: [],
  counters: [],
  waiting_groups: {},
  ready: [],
  office: { name: "", running_text: "" },
  voice: { engine: "server" },
  media: [],
};
