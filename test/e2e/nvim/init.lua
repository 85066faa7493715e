-- Headless Neovim as a second LSP client of the Go Insight server (test/e2e/neovim.cjs).
--
--   GOINSIGHT_SERVER=dist/server.js GOINSIGHT_E2E_RESULTS=out.json \
--     nvim --headless --clean -u test/e2e/nvim/init.lua path/to/main.go
--
-- Starts `node $GOINSIGHT_SERVER --stdio` with Neovim's built-in client (works
-- from Neovim 0.7, Debian 12's version, through 0.11), waits for the server's
-- goinsight/analyzed notification, asks for hover and inlay hints, reads the
-- diagnostics Neovim stored, writes everything as JSON and quits. The Node side
-- asserts on that file; this script only records.
local results = { events = {}, errors = {} }
local out_path = assert(os.getenv('GOINSIGHT_E2E_RESULTS'), 'GOINSIGHT_E2E_RESULTS is not set')
local server = assert(os.getenv('GOINSIGHT_SERVER'), 'GOINSIGHT_SERVER is not set')
local timeout_ms = tonumber(os.getenv('GOINSIGHT_E2E_WAIT_MS') or '60000')
local hover_line = os.getenv('GOINSIGHT_E2E_HOVER_LINE') or 'defer '

local last_event = vim.loop.hrtime()
local function note(event)
  last_event = vim.loop.hrtime()
  table.insert(results.events, string.format('%.0fms %s', vim.loop.hrtime() / 1e6, event))
end

local function finish()
  local file = assert(io.open(out_path, 'w'))
  file:write(vim.fn.json_encode(results))
  file:close()
  vim.cmd('qall!')
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  local file = vim.api.nvim_buf_get_name(bufnr)
  local uri = vim.uri_from_bufnr(bufnr)
  results.nvim_version = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch
  results.uri = uri

  local analyzed = nil
  local config = {
    name = 'goinsight',
    cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    -- Answered by Neovim's workspace/configuration handler (the defaults, spelled out).
    settings = { goinsight = { enable = true, inlayHints = { deferOrder = true } } },
    handlers = {
      ['goinsight/status'] = function(_, params)
        results.status = params
        results.states = results.states or {}
        table.insert(results.states, params.state)
        note('status ' .. vim.fn.json_encode(params))
      end,
      ['goinsight/analyzed'] = function(_, params)
        if params.uri == uri then
          analyzed = params
        end
        note('analyzed ' .. vim.fn.json_encode(params))
      end,
    },
    on_exit = function(code, signal)
      results.server_exit = { code = code, signal = signal }
    end,
  }
  local client_id
  if vim.lsp.start then -- Neovim >= 0.8
    client_id = vim.lsp.start(config, { bufnr = bufnr })
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  note('client ' .. tostring(client_id))
  if not client_id then
    table.insert(results.errors, 'the LSP client did not start')
    return
  end

  if not vim.wait(timeout_ms, function() return analyzed ~= nil end, 50) then
    table.insert(results.errors, 'no goinsight/analyzed notification for ' .. uri .. ' within ' .. timeout_ms .. 'ms')
    return
  end
  -- The compiler may run after the first analysis (status "analyzing", then "ready"
  -- or "warning", and a new goinsight/analyzed): wait until the server settles,
  -- i.e. is not "analyzing" and has sent nothing for 2 s.
  local function settled()
    return results.status ~= nil and results.status.state ~= 'analyzing' and (vim.loop.hrtime() - last_event) / 1e6 > 2000
  end
  if not vim.wait(timeout_ms, settled, 50) then
    table.insert(results.errors, 'the server still reports "analyzing" after ' .. timeout_ms .. 'ms: ' .. vim.fn.json_encode(results.status))
  end
  -- Diagnostics are published just before goinsight/analyzed; let Neovim store them.
  vim.wait(1000, function() return #vim.diagnostic.get(bufnr) == analyzed.diagnostics end, 20)
  results.analyzed = analyzed

  local function request(method, params)
    local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout_ms)
    if not responses then
      table.insert(results.errors, method .. ': ' .. tostring(err))
      return nil
    end
    local response = responses[client_id]
    if not response then
      table.insert(results.errors, method .. ': no response from the goinsight client')
      return nil
    end
    if response.err then
      table.insert(results.errors, method .. ': ' .. vim.fn.json_encode(response.err))
    end
    return response.result
  end

  -- Hover on the `defer` keyword of the line containing $GOINSIGHT_E2E_HOVER_LINE.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for index, text in ipairs(lines) do
    local start = text:find(hover_line, 1, true)
    local column = start and text:find('defer', start, true)
    if column then
      results.hover_position = { line = index - 1, character = column - 1 }
      break
    end
  end
  if results.hover_position then
    local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = results.hover_position })
    if hover and hover.contents then
      results.hover = type(hover.contents) == 'table' and (hover.contents.value or vim.fn.json_encode(hover.contents)) or hover.contents
    end
  else
    table.insert(results.errors, 'the fixture has no line containing "' .. hover_line .. '" with a defer')
  end

  local hints = request('textDocument/inlayHint', {
    textDocument = { uri = uri },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = #lines, character = 0 } },
  })
  results.inlay_hints = {}
  for _, hint in ipairs(hints or {}) do
    local label = hint.label
    if type(label) == 'table' then
      local parts = {}
      for _, part in ipairs(label) do table.insert(parts, part.value) end
      label = table.concat(parts)
    end
    table.insert(results.inlay_hints, { line = hint.position.line, character = hint.position.character, label = label })
  end

  results.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(results.diagnostics, {
      line = d.lnum, col = d.col, severity = d.severity, message = d.message,
      source = d.source, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
    })
  end

  -- Shut the server down the polite way and record whether it exited.
  vim.lsp.stop_client(client_id)
  vim.wait(3000, function() return results.server_exit ~= nil end, 50)
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, err = pcall(run)
    if not ok then table.insert(results.errors, 'init.lua: ' .. tostring(err)) end
    finish()
  end,
})
