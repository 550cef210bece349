# Sourced by test.sh: the Nu HTML checker (npm vnu-jar, installed into artifacts/tools when missing) as a web service on
# 127.0.0.1 for the browser tests, which post each page's HTML to it. After start_vnu PORT, $TACIT_TEST_VNU is its address.
VNU_VERSION=26.9.27

start_vnu() {
  local port=$1 jar=artifacts/tools/node_modules/vnu-jar/build/dist/vnu.jar
  if [ ! -f "$jar" ]; then
    npm install --prefix artifacts/tools --no-audit --no-fund --loglevel=error "vnu-jar@$VNU_VERSION" >/dev/null || return 1
  fi
  java -Xss1m -cp "$jar" -Dnu.validator.servlet.bind-address=127.0.0.1 nu.validator.servlet.Main "$port" >/dev/null 2>&1 &
  VNU_PID=$!
  export TACIT_TEST_VNU="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "$TACIT_TEST_VNU/" && return 0
    kill -0 "$VNU_PID" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

stop_vnu() {
  [ -n "${VNU_PID:-}" ] || return 0
  kill "$VNU_PID" 2>/dev/null
  wait "$VNU_PID" 2>/dev/null
}
