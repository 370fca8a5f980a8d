/*
 * Shape calculator for nn.RNN, nn.LSTM and nn.GRU.
 *
 * compute() mirrors rnn_guide.shapes.expected_shapes_for and parameter_table_for: the same
 * checks in the same order with the same messages (PyTorch's own, followed by the values given),
 * the same tensor and parameter names in named_parameters() order, the same shapes, formulas
 * and counts. The browser tests compare it with the package and with real modules.
 *
 * Sizes are passed as the strings a reader types: "10" is an int, "2.5" a float, "" is None,
 * so that a wrong type gets the same TypeError as in Python.
 */
(function () {
  "use strict";

  var GATES = { RNN: 1, LSTM: 4, GRU: 3 };
  var KINDS = ["RNN", "LSTM", "GRU"];

  function CheckError(type, message) {
    this.type = type;
    this.message = message;
  }

  // A typed value: {kind: "int" | "float" | "None" | "str", value, text}.
  function parse(raw) {
    if (raw === null || raw === undefined) return { kind: "None", value: null };
    if (typeof raw === "number") {
      return Number.isInteger(raw) ? { kind: "int", value: raw } : { kind: "float", value: raw };
    }
    var text = String(raw).trim();
    if (text === "") return { kind: "None", value: null };
    if (/^[+-]?\d+$/.test(text)) return { kind: "int", value: parseInt(text, 10) };
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return { kind: "float", value: parseFloat(text) };
    return { kind: "str", value: text };
  }

  // Python's repr() of the value.
  function repr(v) {
    if (v.kind === "None") return "None";
    if (v.kind === "int") return String(v.value);
    if (v.kind === "str") return "'" + v.value + "'";
    if (Number.isInteger(v.value) && Math.abs(v.value) < 1e16) return v.value.toFixed(1);
    return String(v.value);
  }

  function typeName(v) {
    return v.kind === "None" ? "NoneType" : v.kind;
  }

  // Python's `value != 0` for a parsed value.
  function nonZero(v) {
    return !((v.kind === "int" || v.kind === "float") && v.value === 0);
  }

  function checkSize(name, v) {
    if (v.kind !== "int") {
      throw new CheckError("TypeError", name + " should be of type int, got: " + typeName(v) + " (" + repr(v) + ")");
    }
    if (v.value <= 0) throw new CheckError("ValueError", name + " must be greater than zero, got " + v.value);
  }

  function checkInt(name, v, allowNone) {
    if (v.kind === "None" && allowNone) return;
    if (v.kind !== "int") {
      throw new CheckError("TypeError", name + " must be an integer, got " + repr(v) + " (" + typeName(v) + ")");
    }
  }

  function checkBool(name, value) {
    if (typeof value !== "boolean") {
      throw new CheckError("TypeError", name + " should be of type bool, got: " + typeof value + " (" + value + ")");
    }
  }

  /*
   * config: {kind, input_size, hidden_size, num_layers, proj_size, seq_len, batch_size} as strings
   * (or numbers, or null for None) and {bias, batch_first, bidirectional} as booleans.
   * Returns {ok: true, tensors: [[name, shape, formula]], parameters: [{name, shape, count,
   * formula}], total} or {ok: false, error: {type, message}}.
   */
  function compute(config) {
    try {
      return computeOrThrow(config);
    } catch (e) {
      if (e instanceof CheckError) return { ok: false, error: { type: e.type, message: e.message } };
      throw e;
    }
  }

  function computeOrThrow(config) {
    var kind = config.kind;
    if (KINDS.indexOf(kind) < 0) {
      throw new CheckError("ValueError", "kind must be one of 'RNN', 'LSTM', 'GRU', got '" + kind + "'");
    }
    var inputSize = parse(config.input_size);
    var hiddenSize = parse(config.hidden_size);
    var numLayers = parse(config.num_layers === undefined ? 1 : config.num_layers);
    var projSize = parse(config.proj_size === undefined ? 0 : config.proj_size);
    var seqLen = parse(config.seq_len);
    var batchSize = parse(config.batch_size);
    var bias = config.bias === undefined ? true : config.bias;
    var batchFirst = config.batch_first === undefined ? false : config.batch_first;
    var bidirectional = config.bidirectional === undefined ? false : config.bidirectional;

    // The order of rnn_guide.shapes._validate, which follows nn.RNNBase.__init__.
    if ((kind === "RNN" || kind === "GRU") && nonZero(projSize)) {
      throw new CheckError(
        "ValueError",
        "proj_size argument is only supported for LSTM, not RNN or GRU, got proj_size=" + repr(projSize) +
          " for kind='" + kind + "'"
      );
    }
    checkBool("bias", bias);
    checkBool("batch_first", batchFirst);
    checkSize("input_size", inputSize);
    checkSize("hidden_size", hiddenSize);
    if (numLayers.kind !== "int") {
      throw new CheckError(
        "TypeError",
        "num_layers should be of type int, got: " + typeName(numLayers) + " (" + repr(numLayers) + ")"
      );
    }
    if (numLayers.value <= 0) {
      throw new CheckError("ValueError", "num_layers must be greater than zero, got " + numLayers.value);
    }
    checkBool("bidirectional", bidirectional);
    if (projSize.kind !== "int") {
      throw new CheckError(
        "TypeError",
        "proj_size should be of type int, got: " + typeName(projSize) + " (" + repr(projSize) + ")"
      );
    }
    if (projSize.value < 0) {
      throw new CheckError(
        "ValueError",
        "proj_size should be a positive integer or zero to disable projections, got " + projSize.value
      );
    }
    if (projSize.value >= hiddenSize.value) {
      throw new CheckError(
        "ValueError",
        "proj_size has to be smaller than hidden_size, got proj_size=" + projSize.value +
          " and hidden_size=" + hiddenSize.value
      );
    }
    // Then rnn_guide.shapes._tensor_shapes.
    checkInt("batch_size", batchSize, true);
    // PyTorch accepts an empty batch (N = 0).
    if (batchSize.kind === "int" && batchSize.value < 0) {
      throw new CheckError("ValueError", "batch_size must be an integer >= 0, got " + batchSize.value);
    }
    checkInt("seq_len", seqLen, false);
    if (seqLen.value < 0) {
      throw new CheckError("ValueError", "seq_len must be a positive integer, got " + seqLen.value);
    }
    if (seqLen.value === 0) {
      // PyTorch's own message (a RuntimeError in the forward pass).
      throw new CheckError("ValueError", "Expected sequence length to be larger than 0 in RNN, got seq_len=0");
    }

    var hIn = inputSize.value;
    var h = hiddenSize.value;
    var p = projSize.value;
    var layers = numLayers.value;
    var d = bidirectional ? 2 : 1;
    var hOut = p > 0 ? p : h;
    var n = batchSize.kind === "None" ? null : batchSize.value;
    var l = seqLen.value;
    var hOutSymbol = p > 0 ? "P" : "H";
    var dPrefix = d === 2 ? "2·" : "";

    var sequence, sequenceSymbols;
    if (n === null) {
      sequence = [l];
      sequenceSymbols = ["L"];
    } else if (batchFirst) {
      sequence = [n, l];
      sequenceSymbols = ["N", "L"];
    } else {
      sequence = [l, n];
      sequenceSymbols = ["L", "N"];
    }
    var batch = n === null ? [] : [n];
    var batchSymbols = n === null ? [] : ["N"];
    var states = d * layers;
    var statesSymbol = d === 2 ? (layers === 1 ? "2" : "2·num_layers") : layers === 1 ? "1" : "num_layers";

    function formula(symbols) {
      return "(" + symbols.join(", ") + (symbols.length === 1 ? ",)" : ")");
    }
    var tensors = [];
    var hShape = [states].concat(batch, [hOut]);
    var hFormula = formula([statesSymbol].concat(batchSymbols, [hOutSymbol]));
    var cShape = [states].concat(batch, [h]);
    var cFormula = formula([statesSymbol].concat(batchSymbols, ["H"]));
    tensors.push(["input", sequence.concat([hIn]), formula(sequenceSymbols.concat(["H_in"]))]);
    tensors.push(["h_0", hShape, hFormula]);
    if (kind === "LSTM") tensors.push(["c_0", cShape, cFormula]);
    tensors.push(["output", sequence.concat([d * hOut]), formula(sequenceSymbols.concat([dPrefix + hOutSymbol]))]);
    tensors.push(["h_n", hShape, hFormula]);
    if (kind === "LSTM") tensors.push(["c_n", cShape, cFormula]);

    // Parameters in named_parameters() order, as rnn_guide.shapes._rows.
    var gates = GATES[kind];
    var gateRows = gates * h;
    var gateFormula = gates === 1 ? "H" : gates + "·H";
    var deepInput = d * hOut;
    var deepFormula = d === 2 ? "2·" + hOutSymbol : hOutSymbol;
    var parameters = [];
    function add(name, shape, shapeFormula) {
      var count = 1;
      for (var i = 0; i < shape.length; i++) count *= shape[i];
      parameters.push({ name: name, shape: shape, count: count, formula: shapeFormula });
    }
    for (var layer = 0; layer < layers; layer++) {
      var inSize = layer === 0 ? hIn : deepInput;
      var inFormula = layer === 0 ? "H_in" : deepFormula;
      var suffixes = d === 2 ? ["", "_reverse"] : [""];
      for (var s = 0; s < suffixes.length; s++) {
        var tag = "_l" + layer + suffixes[s];
        add("weight_ih" + tag, [gateRows, inSize], "(" + gateFormula + ", " + inFormula + ")");
        add("weight_hh" + tag, [gateRows, hOut], "(" + gateFormula + ", " + hOutSymbol + ")");
        if (bias) {
          add("bias_ih" + tag, [gateRows], "(" + gateFormula + ",)");
          add("bias_hh" + tag, [gateRows], "(" + gateFormula + ",)");
        }
        if (p > 0) add("weight_hr" + tag, [p, h], "(P, H)");
      }
    }
    var total = 0;
    for (var k = 0; k < parameters.length; k++) total += parameters[k].count;
    return { ok: true, tensors: tensors, parameters: parameters, total: total };
  }

  /* ------------------------------------------------------------------ the page */

  var TEXT = {
    en: {
      legend: "Configuration",
      kind: "Layer",
      input_size: "input_size (H_in)",
      hidden_size: "hidden_size (H)",
      num_layers: "num_layers",
      proj_size: "proj_size (P, LSTM only; 0 = none)",
      bias: "bias",
      batch_first: "batch_first",
      bidirectional: "bidirectional",
      seq_len: "Sequence length (L)",
      batch_size: "Batch size (N)",
      unbatched: "unbatched input (no batch dimension)",
      module: "Module",
      tensors: "Inputs, states and outputs",
      tensor: "Tensor",
      shape: "Shape",
      symbols: "Symbols",
      parameters: "Parameters",
      parameter: "Parameter",
      count: "Count",
      formula: "Formula",
      total: "Total",
      error: "PyTorch rejects this configuration:",
      code: "Code for this configuration",
      copy: "Copy to clipboard",
      permalink: "Link to this configuration",
      weights: "Weights",
      activations: "Activations",
      colon: ": ",
      memory_note: "float32 (4 bytes per number); activations: the output tensor and the final states for this batch, without what autograd saves for training",
      param_count: "Parameters",
      c_last_forward: "last step of the forward direction",
      c_last_backward: "last step of the backward direction (it read the sequence from the end: its last step is at t = 0)",
      c_check: "check the shapes and counts",
    },
    zh: {
      legend: "配置",
      kind: "层",
      input_size: "input_size（H_in）",
      hidden_size: "hidden_size（H）",
      num_layers: "num_layers",
      proj_size: "proj_size（P，仅 LSTM；0 表示不投影）",
      bias: "bias",
      batch_first: "batch_first",
      bidirectional: "bidirectional",
      seq_len: "序列长度（L）",
      batch_size: "批量大小（N）",
      unbatched: "不带批量维度的输入",
      module: "模块",
      tensors: "输入、状态与输出",
      tensor: "张量",
      shape: "形状",
      symbols: "符号",
      parameters: "参数",
      parameter: "参数",
      count: "参数量",
      formula: "公式",
      total: "合计",
      error: "PyTorch 会拒绝这个配置：",
      code: "这个配置的代码",
      copy: "复制到剪贴板",
      permalink: "本配置的链接",
      weights: "权重",
      activations: "激活值",
      colon: "：",
      memory_note: "按 float32（每个数 4 字节）计算；激活值指这个批量的输出张量和最终状态，不含训练时自动求导保存的中间结果",
      param_count: "参数量",
      c_last_forward: "正向方向的最后一步",
      c_last_backward: "反向方向的最后一步（它从序列末尾读起，最后一步在 t = 0）",
      c_check: "检查形状和数量",
    },
  };

  var NUMBER_FIELDS = [
    ["input_size", "10"],
    ["hidden_size", "20"],
    ["num_layers", "1"],
    ["proj_size", "0"],
    ["seq_len", "5"],
    ["batch_size", "3"],
  ];
  var FLAGS = [
    ["bias", true],
    ["batch_first", false],
    ["bidirectional", false],
  ];

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function shapeText(shape) {
    return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
  }

  function table(caption, headers, rows, numeric) {
    var head = el("tr", {}, headers.map(function (h) {
      return el("th", { text: h, scope: "col" });
    }));
    var body = rows.map(function (row) {
      return el("tr", {}, row.map(function (cell, i) {
        var td = el("td", {}, []);
        if (numeric && numeric[i]) td.setAttribute("class", "rg-calc-number");
        if (cell instanceof Node) td.appendChild(cell);
        else td.textContent = cell;
        return td;
      }));
    });
    return el("table", {}, [el("caption", { text: caption }), el("thead", {}, [head]), el("tbody", {}, body)]);
  }

  function moduleCall(c) {
    var args = [c.input_size, c.hidden_size];
    if (c.num_layers !== "1") args.push("num_layers=" + c.num_layers);
    if (!c.bias) args.push("bias=False");
    if (c.batch_first) args.push("batch_first=True");
    if (c.bidirectional) args.push("bidirectional=True");
    if (c.proj_size !== "0") args.push("proj_size=" + c.proj_size);
    return "nn." + c.kind + "(" + args.join(", ") + ")";
  }


  function tuple(shape) {
    return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")");
  }

  function formatBytes(bytes) {
    if (bytes < 1024) return bytes.toLocaleString("en-US") + " B";
    var units = ["KiB", "MiB", "GiB"];
    var value = bytes / 1024;
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return value.toFixed(value < 10 ? 2 : 1) + " " + units[unit] + " (" + bytes.toLocaleString("en-US") + " B)";
  }

  /* Memory in bytes at 4 bytes per float32 number: the weights, and the output tensor plus the final states. */
  function memory(result) {
    var shapes = {};
    result.tensors.forEach(function (row) {
      shapes[row[0]] = row[1];
    });
    function size(name) {
      if (!shapes[name]) return 0;
      return shapes[name].reduce(function (a, b) {
        return a * b;
      }, 1);
    }
    return { weights: 4 * result.total, activations: 4 * (size("output") + size("h_n") + size("c_n")) };
  }

  /* Python code that builds the layer and its initial states, runs it, takes the last step of each direction
     and prints the shapes and counts that the page shows (the browser test runs it and compares). */
  function pythonCode(c, result, t) {
    var shapes = {};
    result.tensors.forEach(function (row) {
      shapes[row[0]] = row;
    });
    var lstm = c.kind === "LSTM";
    var d = c.bidirectional ? 2 : 1;
    var hOut = c.proj_size !== "0" ? parseInt(c.proj_size, 10) : parseInt(c.hidden_size, 10);
    var unbatched = c.batch_size === null;
    // Index of the time dimension in output: unbatched (L, ...), batch_first (N, L, ...), else (L, N, ...).
    function at(step, features) {
      if (unbatched) return "output[" + step + ", " + features + "]";
      if (c.batch_first) return "output[:, " + step + ", " + features + "]";
      return "output[" + step + ", :, " + features + "]";
    }
    var lines = [
      "import torch",
      "from torch import nn",
      "",
      "torch.manual_seed(0)",
      "rnn = " + moduleCall(c),
      "x = torch.randn" + tuple(shapes.input[1]) + "  # input " + shapes.input[2],
      "h_0 = torch.zeros" + tuple(shapes.h_0[1]) + "  # " + shapes.h_0[2],
    ];
    if (lstm) {
      lines.push("c_0 = torch.zeros" + tuple(shapes.c_0[1]) + "  # " + shapes.c_0[2]);
      lines.push("output, (h_n, c_n) = rnn(x, (h_0, c_0))");
    } else {
      lines.push("output, h_n = rnn(x, h_0)");
    }
    lines.push("");
    lines.push("# " + t.c_last_forward);
    lines.push("last_forward = " + at(-1, ":" + hOut) + "  # == h_n[" + (d === 2 ? -2 : -1) + "]");
    if (d === 2) {
      lines.push("# " + t.c_last_backward);
      lines.push("last_backward = " + at(0, hOut + ":") + "  # == h_n[-1]");
    }
    lines.push("");
    lines.push("# " + t.c_check);
    lines.push('print("output", tuple(output.shape))');
    lines.push('print("h_n", tuple(h_n.shape))');
    if (lstm) lines.push('print("c_n", tuple(c_n.shape))');
    lines.push('print("forward", torch.equal(last_forward, h_n[' + (d === 2 ? -2 : -1) + "]))");
    if (d === 2) lines.push('print("backward", torch.equal(last_backward, h_n[-1]))');
    lines.push("parameters = sum(p.numel() for p in rnn.parameters())");
    lines.push('print("parameters", parameters)');
    lines.push('print("weight_bytes", 4 * parameters)');
    lines.push(
      'print("activation_bytes", 4 * (output.numel() + h_n.numel()' + (lstm ? " + c_n.numel()" : "") + "))"
    );
    return lines.join("\n") + "\n";
  }

  var QUERY_FIELDS = ["kind", "input_size", "hidden_size", "num_layers", "proj_size", "seq_len", "batch_size"];

  /* The settings as a query string, and back. */
  function toQuery(c) {
    var params = new URLSearchParams();
    QUERY_FIELDS.forEach(function (name) {
      if (name === "batch_size" && c.batch_size === null) return;
      params.set(name, c[name]);
    });
    ["bias", "batch_first", "bidirectional"].forEach(function (name) {
      params.set(name, c[name] ? "1" : "0");
    });
    if (c.batch_size === null) params.set("unbatched", "1");
    return params.toString();
  }

  function mount(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "true");
    var lang = (document.documentElement.lang || "en").slice(0, 2) === "zh" ? "zh" : "en";
    var t = TEXT[lang];
    var prefix = "rg-calc-";
    var inputs = {};

    var kindSelect = el("select", { id: prefix + "kind", name: "kind" }, KINDS.map(function (k) {
      return el("option", { value: k, text: "nn." + k });
    }));
    kindSelect.value = "LSTM";
    inputs.kind = kindSelect;
    var fields = [el("div", { class: "rg-calc-field" }, [el("label", { for: prefix + "kind", text: t.kind }), kindSelect])];
    NUMBER_FIELDS.forEach(function (spec) {
      var input = el("input", {
        id: prefix + spec[0],
        name: spec[0],
        type: "text",
        inputmode: "numeric",
        autocomplete: "off",
        spellcheck: "false",
        value: spec[1],
      });
      inputs[spec[0]] = input;
      fields.push(el("div", { class: "rg-calc-field" }, [el("label", { for: prefix + spec[0], text: t[spec[0]] }), input]));
    });
    FLAGS.concat([["unbatched", false]]).forEach(function (spec) {
      var box = el("input", { id: prefix + spec[0], name: spec[0], type: "checkbox" });
      box.checked = spec[1];
      inputs[spec[0]] = box;
      fields.push(el("div", { class: "rg-calc-field rg-calc-flag" }, [box, el("label", { for: prefix + spec[0], text: t[spec[0]] })]));
    });
    var form = el("form", { class: "rg-calc-form", "aria-label": t.legend }, [
      el("fieldset", {}, [el("legend", { text: t.legend })].concat(fields)),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    var output = el("div", { class: "rg-calc-output", "aria-live": "polite", id: prefix + "output" }, []);
    root.textContent = "";
    root.appendChild(form);
    root.appendChild(output);

    // A permalink (?kind=GRU&hidden_size=5&...) restores its settings.
    var query = new URLSearchParams(window.location.search);
    QUERY_FIELDS.forEach(function (name) {
      if (query.has(name)) inputs[name].value = query.get(name);
    });
    ["bias", "batch_first", "bidirectional", "unbatched"].forEach(function (name) {
      if (query.has(name)) inputs[name].checked = query.get(name) === "1";
    });

    function read() {
      var c = { kind: inputs.kind.value };
      NUMBER_FIELDS.forEach(function (spec) {
        c[spec[0]] = inputs[spec[0]].value.trim();
      });
      FLAGS.forEach(function (spec) {
        c[spec[0]] = inputs[spec[0]].checked;
      });
      if (inputs.unbatched.checked) c.batch_size = null;
      return c;
    }

    function render() {
      inputs.batch_size.disabled = inputs.unbatched.checked;
      var c = read();
      var result = compute(c);
      output.textContent = "";
      if (!result.ok) {
        output.appendChild(el("div", { class: "admonition failure rg-calc-error", role: "alert" }, [
          el("p", { class: "admonition-title", text: t.error }),
          el("p", { class: "rg-calc-message", text: result.error.type + ": " + result.error.message }),
        ]));
        return;
      }
      output.appendChild(el("p", { class: "rg-calc-module" }, [
        document.createTextNode(t.module + ": "),
        el("code", { text: moduleCall(c) }),
      ]));
      output.appendChild(table(t.tensors, [t.tensor, t.shape, t.symbols], result.tensors.map(function (row) {
        return [el("code", { text: row[0] }), shapeText(row[1]), row[2]];
      }), [false, false, false]));
      var rows = result.parameters.map(function (row) {
        return [el("code", { text: row.name }), shapeText(row.shape), row.count.toLocaleString("en-US"), row.formula];
      });
      rows.push([el("strong", { text: t.total }), "", el("strong", { text: result.total.toLocaleString("en-US") }), ""]);
      var params = table(t.parameters, [t.parameter, t.shape, t.count, t.formula], rows, [false, false, true, false]);
      params.setAttribute("class", "rg-calc-parameters");
      output.appendChild(params);

      var bytes = memory(result);
      output.appendChild(el("ul", { class: "rg-calc-memory" }, [
        el("li", { "data-count": String(result.total), class: "rg-calc-count", text: t.param_count + t.colon + result.total.toLocaleString("en-US") }),
        el("li", { "data-bytes": String(bytes.weights), class: "rg-calc-weights", text: t.weights + t.colon + formatBytes(bytes.weights) }),
        el("li", { "data-bytes": String(bytes.activations), class: "rg-calc-activations", text: t.activations + t.colon + formatBytes(bytes.activations) }),
      ]));
      output.appendChild(el("p", { class: "rg-calc-note", text: t.memory_note }));

      var query = toQuery(c);
      var url = window.location.pathname + "?" + query + window.location.hash;
      if (window.history && window.history.replaceState) window.history.replaceState(null, "", url);
      output.appendChild(el("p", { class: "rg-calc-link" }, [
        el("a", { class: "rg-calc-permalink", href: "?" + query, text: t.permalink }),
      ]));

      var code = el("code", { text: pythonCode(c, result, t) });
      output.appendChild(el("p", { class: "rg-calc-code-title", text: t.code }));
      output.appendChild(el("div", { class: "highlight rg-calc-code", id: prefix + "code" }, [
        el("pre", {}, [
          el("button", {
            class: "md-clipboard md-icon",
            type: "button",
            title: t.copy,
            "aria-label": t.copy,
            "data-clipboard-target": "#" + prefix + "code > pre > code",
          }),
          code,
        ]),
      ]));
    }

    Object.keys(inputs).forEach(function (name) {
      inputs[name].addEventListener("input", render);
      inputs[name].addEventListener("change", render);
    });
    render();
  }

  function init() {
    var roots = document.querySelectorAll("[data-rg-shape-calculator]");
    for (var i = 0; i < roots.length; i++) mount(roots[i]);
  }

  window.rnnGuideShapeCalculator = { compute: compute, toQuery: toQuery, pythonCode: pythonCode, memory: memory };
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
