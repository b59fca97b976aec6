# shellcheck shell=bash
# The emulated cluster (sourced by the testbed scripts, not run): one network namespace per
# host, each joined by a veth pair to one bridge, and each host's NIC shaped both ways with
# htb (plus netem for a one-way delay):
#   host egress  = the qdisc on eth0 inside the host's namespace (rate, then the delay),
#   host ingress = the qdisc on the bridge side of its veth (rate only),
# so a message between two hosts crosses one delay and two shapers of the same rate, as on a
# switch between two NICs of that rate.
#
# Names carry the creating shell's pid (dlsv<PID>h<I>, bridge dlsv<PID>br), so a crashed run's
# leftovers are recognised by a dead pid and removed by tb_cleanup_stale.
#
#   tb_cleanup_stale                      remove namespaces/bridges of dead testbed runs
#   tb_up HOSTS RATE_BPS DELAY_S          create hosts 0..HOSTS-1 (addresses: tb_addr I); a
#                                         delay > 0 needs netem (absent from some kernels)
#   tb_down                               remove this run's hosts and bridge (idempotent)
#   tb_exec I CMD...                      run CMD inside host I
#   tb_can_run                            exit status 0 when namespaces and tc work here
#
# Callers: `trap tb_down EXIT INT TERM` right after sourcing.

tb_id=dlsv$$
tb_subnet="10.79.$(($$ % 250))"
tb_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tb_hosts=0

tb_ns() { echo "${tb_id}h$1"; }
tb_addr() { echo "${tb_subnet}.$(($1 + 1))"; }
tb_exec() { local i=$1; shift; ip netns exec "$(tb_ns "$i")" "$@"; }

tb_can_run() {
  [ "$(id -u)" -eq 0 ] || { echo "testbed: needs root (network namespaces and tc)" >&2; return 1; }
  for tool in ip tc; do command -v "$tool" >/dev/null || { echo "testbed: $tool not found" >&2; return 1; }; done
  local probe="dlsvprobe$$"
  ip netns add "$probe" 2>/dev/null || { echo "testbed: cannot create a network namespace here" >&2; return 1; }
  if ! ip -n "$probe" link add dlsvp0 type veth peer name dlsvp1 2>/dev/null ||
     ! tc -n "$probe" qdisc add dev dlsvp0 root handle 1: htb default 1 2>/dev/null ||
     ! tc -n "$probe" filter add dev dlsvp0 parent 1: protocol ip prio 1 u32 \
         match u16 0x0000 0xff00 at 2 flowid 1:10 2>/dev/null ||
     ! ip netns exec "$probe" sysctl -q -w net.ipv4.tcp_slow_start_after_idle=0 2>/dev/null; then
    ip netns del "$probe" 2>/dev/null
    echo "testbed: veth, tc htb, the u32 filter or a namespace's TCP sysctls refused here" >&2
    return 1
  fi
  ip netns del "$probe"
}

tb_cleanup_stale() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^dlsv[0-9]+h[0-9]+$'); do
    pid=${ns#dlsv}; pid=${pid%%h*}
    [ -d "/proc/$pid" ] || {
      echo "testbed: removing stale namespace $ns" >&2
      tb_kill_inside "$ns"
      ip netns del "$ns" 2>/dev/null
    }
  done
  for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | grep -E '^dlsv[0-9]+br$'); do
    pid=${br#dlsv}; pid=${pid%br}
    [ -d "/proc/$pid" ] || { echo "testbed: removing stale bridge $br" >&2; ip link del "$br" 2>/dev/null; }
  done
}

# htb's burst: at least 64 KiB (a GSO segment of a veth) and 2 ms at the rate, so that the
# shaper's timer granularity does not cap the rate below what was asked.
tb_burst() { awk -v r="$1" 'BEGIN { b = r * 0.001; if (b < 15140) b = 15140; printf "%d", b }'; }

# shape DEV [NETNS] RATE_BPS DELAY_S: htb at the rate, netem delay below it when > 0.
# Small packets (IP length < 128 B: pure ACKs) go first, in a class of their own: one FIFO
# behind which the ACKs of one direction wait for the other direction's queued data (up to
# TCP's small-queue limit, milliseconds at these rates) halves a duplex exchange (measured:
# a 2-rank ring all-reduce took 1.6x its time), where a real NIC's short ring barely delays
# them.
tb_shape() {
  local dev=$1 ns=$2 rate=$3 delay=$4 burst bits leaf tcn=(tc)
  [ -n "$ns" ] && tcn=(tc -n "$ns")
  burst=$(tb_burst "$rate")
  bits=$(awk -v r="$rate" 'BEGIN{printf "%d", r * 8}')
  "${tcn[@]}" qdisc add dev "$dev" root handle 1: htb default 20
  "${tcn[@]}" class add dev "$dev" parent 1: classid 1:1 htb rate "${bits}bit" \
    burst "$burst" cburst "$burst" quantum 60000
  "${tcn[@]}" class add dev "$dev" parent 1:1 classid 1:10 htb rate "$((bits / 10))bit" \
    ceil "${bits}bit" burst "$burst" cburst "$burst" prio 0 quantum 60000
  "${tcn[@]}" class add dev "$dev" parent 1:1 classid 1:20 htb rate "$((bits - bits / 10))bit" \
    ceil "${bits}bit" burst "$burst" cburst "$burst" prio 1 quantum 60000
  "${tcn[@]}" filter add dev "$dev" parent 1: protocol ip prio 1 u32 \
    match u16 0x0000 0xff00 at 2 flowid 1:10
  for leaf in 10 20; do
    if awk -v d="$delay" 'BEGIN { exit !(d > 0) }'; then
      "${tcn[@]}" qdisc add dev "$dev" parent "1:$leaf" handle "$leaf:" netem limit 100000 \
        delay "$(awk -v d="$delay" 'BEGIN{printf "%d", d * 1e6}')us" ||
        { echo "testbed: netem refused (not in this kernel?): only a delay of 0 works here" >&2; return 1; }
    else
      "${tcn[@]}" qdisc add dev "$dev" parent "1:$leaf" handle "$leaf:" pfifo limit 1000
    fi
  done
}

# TCP keeps up to tcp_limit_output_bytes (1 MiB here) of each socket in the shaper's queue:
# 80 ms at 12.5 MB/s, which the ACKs riding on the other direction's data wait behind, so a
# short exchange both ways stays in slow start for tens of ms (measured: a 2-rank all-reduce
# of 444,584 B took 61 ms, not 36). A real NIC queues far less: 1 ms at the rate (at least
# two full packets) bounds the queue here. And no slow start again after an idle moment.
tb_tcp_settings() {
  local ns=$1 rate=$2
  ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_limit_output_bytes="$(awk -v r="$rate" \
    'BEGIN { b = r * 0.001; if (b < 3028) b = 3028; printf "%d", b }')"
  ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_slow_start_after_idle=0
}

tb_up() {
  local hosts=$1 rate=$2 delay=$3 i ns
  tb_down
  # The bridge's subnet must not shadow a network this machine already reaches.
  if ip -4 route show | grep -q "^${tb_subnet}\."; then
    echo "testbed: ${tb_subnet}.0/24 is already routed on this machine; not adding a bridge there" >&2
    return 1
  fi
  ip link add "${tb_id}br" type bridge
  # The bridge's own address lets processes of the root namespace (mpirun) reach the hosts.
  ip addr add "${tb_subnet}.254/24" dev "${tb_id}br"
  ip link set "${tb_id}br" up
  for ((i = 0; i < hosts; i++)); do
    ns=$(tb_ns "$i")
    ip netns add "$ns"
    tb_hosts=$((i + 1))
    ip link add "${tb_id}b$i" type veth peer name eth0 netns "$ns"
    ip link set "${tb_id}b$i" master "${tb_id}br" up
    ip -n "$ns" addr add "$(tb_addr "$i")/24" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    tb_tcp_settings "$ns" "$rate"
    tb_shape eth0 "$ns" "$rate" "$delay"
    tb_shape "${tb_id}b$i" "" "$rate" 0
  done
}

# Processes left inside a host (an orted after a killed mpirun) would keep its namespace
# alive after `ip netns del`: they are ended first, by their ids.
tb_kill_inside() {
  local pids
  pids=$(ip netns pids "$1" 2>/dev/null) || return 0
  [ -n "$pids" ] || return 0
  kill $pids 2>/dev/null || true
  sleep 0.2
  kill -9 $(ip netns pids "$1" 2>/dev/null) 2>/dev/null || true
}

tb_down() {
  local i
  for ((i = 0; i < tb_hosts; i++)); do
    tb_kill_inside "$(tb_ns "$i")"
    ip link del "${tb_id}b$i" 2>/dev/null || true
    ip netns del "$(tb_ns "$i")" 2>/dev/null || true
  done
  tb_hosts=0
  ip link del "${tb_id}br" 2>/dev/null || true
}

# One-way latency between hosts 0 and 1 [s]: tcp_latency.py serving in host 1, pinged 200
# times from host 0 (what the measured-runs rows record as latency_s).
tb_latency() {
  local port=$((30000 + RANDOM % 20000)) ready server lat
  ready=$(mktemp)
  tb_exec 1 timeout 60 python3 "$tb_here/tcp_latency.py" serve "$port" >"$ready" &
  server=$!
  for _ in $(seq 100); do grep -q ready "$ready" && break; sleep 0.1; done
  rm -f "$ready"
  lat=$(tb_exec 0 timeout 60 python3 "$tb_here/tcp_latency.py" ping "$(tb_addr 1)" "$port" 200)
  wait "$server" 2>/dev/null || true
  echo "$lat"
}
