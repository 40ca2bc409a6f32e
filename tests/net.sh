# Networking against Linux's netback (docs/networking.md): the guest as a
# domU with a vif on dom0's bridge xenbr0 (scripts/run-domu.sh --net 1).
# Two boots: raw frames through netfront, then TCP through lwIP (one
# interface cannot serve both at once), the raw one as a PVH domU; domU
# boots cost 8-25 s each.  Sourced by
# tests/check.sh; `bash tests/net.sh` runs this file alone.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    cd "$(dirname "$0")/.."
    . tests/lib.sh
    net_alone=1
fi

# The socket ABI (no boot): the layouts and constants of our <sys/socket.h>,
# <netinet/in.h>, <poll.h>... are lwIP's (tests/net/socket_abi.c).
test_net_socket_abi() {
    local t=net-socket-abi
    if make -s socket-abi > "$TEST_OUT/$t.out" 2>&1; then
        pass "$t ($(sed -n 's/^socket-abi: //p' "$TEST_OUT/$t.out"))"
    else
        fail $t "the two views differ" "$TEST_OUT/$t.out"
    fi
}

# netfront with real frames (tests/guest/netfront/: main.c in the guest,
# dom0-hook.sh in dom0): the MAC from the xl config, ARP both ways with the
# bridge's fixed MAC, ICMP echo to dom0 with 1000-byte payloads checked
# byte for byte, dom0's busybox ping answered by the guest, clean counters
# (no lie, no error, events not polling), and the ordered xenbus close,
# with MINIOS_XENBUS=1 printing both sides' states as they change.  The
# guest boots as PVH (docs/pvh.md): netfront's grants and events through
# the PVH halves; every other network boot here is PV.
test_net_netfront() {
    local t=net-netfront
    build_app $t tests/guest/netfront || return
    boot_domu $t build/netfront/minios.elf --pvh --net 1 --timeout 240 \
        --dom0-hook tests/guest/netfront/dom0-hook.sh -- MINIOS_XENBUS=1
    expect_status $t 0 &&
    expect_out $t '^minios [0-9.]+ \(x86_64 PVH\) on Xen ' "the banner's PVH version line" &&
    expect_out $t '^xenbus: device/vif/0: backend [A-Za-z]+ -> InitWait$' \
        "MINIOS_XENBUS: the backend waiting for us (docs/split-drivers.md)" &&
    expect_out $t '^xenbus: device/vif/0: frontend Unknown -> Connected$' \
        "MINIOS_XENBUS: our keys and state written in one transaction" &&
    expect_out $t '^xenbus: device/vif/0: backend [A-Za-z]+ -> Connected$' \
        "MINIOS_XENBUS: the backend connecting" &&
    expect_out $t '^xenbus: device/vif/0: frontend Closing -> Closed$' "MINIOS_XENBUS: our close" &&
    expect_out $t '^netfront: eth0: connected to /local/domain/0/backend/vif/[0-9]+/0 \(domain 0\), MAC 00:16:3e:00:01:00$' \
        "eth0 connecting" &&
    expect_out $t '^net: eth0 MAC 00:16:3e:00:01:00$' "the MAC from the xl config" &&
    expect_out $t '^net: ARP: 10\.0\.0\.1 is at 02:00:0a:00:00:01 ' "dom0's ARP reply" &&
    expect_out $t '^net: ICMP: 3 echo replies from 10\.0\.0\.1, 1000-byte payloads intact' \
        "echo replies from dom0" &&
    expect_out $t '^net: after [0-9]+ ms: answered 3 echo requests of 1000 bytes' \
        "dom0's pings answered" &&
    expect_out $t '^dom0-hook: 3 packets transmitted, 3 packets received, 0% packet loss$' \
        "busybox ping in dom0 seeing every reply" &&
    expect_out $t '^dom0-hook: bridge ports: vif[0-9]+\.0$' "the vif in the bridge" &&
    expect_out $t '^dom0-hook: mtu: vif[0-9]+\.0 9000, xenbr0 9000$' \
        "netback taking MTU 9000 (it allows it only with our feature-sg)" &&
    expect_out $t '^dom0-hook: big: 3 packets transmitted, 3 packets received, 0% packet loss$' \
        "busybox ping -s 8000 seeing every reply" &&
    expect_out $t '^net: answered 3 echo requests of 8000 bytes' "dom0's 8000-byte pings answered" &&
    expect_out $t '^net: sg: frame max 9014, MTU 1500; over several slots: rx ([3-9]|[1-9][0-9]+), tx ([3-9]|[1-9][0-9]+); ' \
        "frames over several slots both ways" &&
    expect_out $t '^net: stats: .* rx errors 0 dropped 0 lies 0, tx errors 0 lies 0, [1-9][0-9]* events$' \
        "clean counters" &&
    expect_out $t '^net: closed: in order' "the ordered close" &&
    expect_no_out $t '^(xenbus|netfront): .*(went away|still|lies|impossible|not connected)' \
        "a backend complaint" &&
    pass "$t (PVH; $(sed -n 's/^net: ICMP: .*slowest \([0-9]* us\)$/slowest guest->dom0 echo \1/p' "$TEST_OUT/$t.out"))"
}

# TCP over lwIP with the BSD calls (tests/guest/tcp_echo/): the guest's echo
# server on port 7 gives dom0's busybox nc 10 MiB of random bytes back,
# compared byte for byte in dom0; 4 connections at once, each echoed by its
# own thread, on both vCPUs; then the guest, as a client, sends 10,000
# numbered lines to dom0's `nc -l`, every one arriving in order; sockets
# before net_start() fail with ENETDOWN.  Two vifs, both on DHCP (eth0
# 10.0.0.2, eth1 10.0.0.3).  Then (more.c): select()'s timeout and errors;
# a UDP round trip (dom0's busybox tftp reads a file the guest serves,
# select() telling the UDP socket from a TCP listener); ECONNREFUSED, a
# receive timeout as EAGAIN, a non-blocking connect's EINPROGRESS, and
# ECONNRESET from a dom0 peer dying with unread bytes; getaddrinfo(); dom0
# connecting to eth1's address; `xl network-detach` of eth1, which the
# application sees go while eth0 carries on; then hotplug (hotplug.c): `xl
# network-attach` of a new vif to the running guest, which comes up by
# itself as eth1 (the freed name) with its DHCP address, answers dom0's
# ping and a connection, prints its counters, and goes again at `xl
# network-detach`.
test_net_tcp() { net_tcp net-tcp PV; }

# The same as a PVH domU (docs/pvh.md): its own boot, as --pvh-too takes
# no vif.
test_net_tcp_pvh() { net_tcp net-tcp-pvh PVH --pvh; }

# net_tcp NAME PV|PVH [run-domu options]
net_tcp() {
    local t=$1 mode=$2 bytes=10485760
    build_app $t tests/guest/tcp_echo || return
    boot_domu $t build/tcp_echo/minios.elf --net 2 --mem 64 --vcpus 2 --timeout 360 "${@:3}" \
        --dom0-hook tests/guest/tcp_echo/dom0-hook.sh -- $bytes
    expect_status $t 0 &&
    expect_out $t "^minios [0-9.]+ \\(x86_64 $mode\\) on Xen " "the banner's $mode version line" &&
    expect_out $t '^  domU, [1-9][0-9]* pages \([0-9]+ MiB\), 2 vCPUs \(2 up\)$' "the banner's 2 vCPUs" &&
    expect_out $t '^net: eth0 00:16:3e:00:01:00 10\.0\.0\.2/24 gw 10\.0\.0\.1 dns 10\.0\.0\.1 \(dhcp from 10\.0\.0\.1\)$' \
        "eth0's DHCP lease" &&
    expect_out $t '^run-domu: address: the guest.s 00:16:3e:00:01:00 leased 10\.0\.0\.2 \(DHCP\)$' \
        "the harness telling the guest's address" &&
    expect_out $t '^tcp: connection from 10\.0\.0\.1:[0-9]+$' "dom0's connection" &&
    expect_out $t "^tcp: echoed $bytes bytes in " "the guest's echo count" &&
    expect_out $t "^dom0-hook: echo: $bytes bytes back, identical " "dom0 getting every byte back" &&
    expect_out $t '^tcp: eth0 MTU 1500: rx [0-9]+ frames, [1-9][0-9]* with TCP/UDP checksums trusted; tx [0-9]+ frames, [1-9][0-9]* with TCP checksums left to netback; ' \
        "checksum offload both ways (dom0's blank checksums trusted, ours left to netback)" &&
    expect_out $t '^tcp: 4 connections echoed 262144 bytes each in parallel, on vCPUs mask 0x3$' \
        "4 connections served by threads on both vCPUs" &&
    expect_out $t '^dom0-hook: parallel: 4 of 4 connections identical$' "dom0 getting each back" &&
    expect_out $t '^dom0-hook: from guest: 10000 lines, last .line 9999.$' "the guest's lines in dom0" &&
    expect_out $t '^dom0-hook: from guest: every line in order$' "the lines in order" &&
    expect_out $t '^net: eth1 00:16:3e:00:01:01 10\.0\.0\.3/24 gw 10\.0\.0\.1 \(dhcp from 10\.0\.0\.1\)$' \
        "eth1's DHCP lease" &&
    expect_out $t '^run-domu: address: the guest.s 00:16:3e:00:01:01 leased 10\.0\.0\.3 \(DHCP\)$' \
        "the harness telling eth1's address" &&
    expect_out $t '^net: select: timeout after 200 ms, EINVAL over FD_SETSIZE 256, EBADF, writable 2 of 2$' \
        "select()'s timeout and errors" &&
    expect_out $t '^net: UDP: read request from 10\.0\.0\.1:[0-9]+, 38 bytes sent, ACK back$' \
        "the UDP exchange, seen by the guest" &&
    expect_out $t "^dom0-hook: udp: tftp got 'minios answered over UDP from port 69' " \
        "the UDP answer in dom0" &&
    expect_out $t '^net: errno: connect\(\) to 10\.0\.0\.1:9003: ECONNREFUSED$' "ECONNREFUSED" &&
    expect_out $t '^net: errno: recv\(\) with a 300 ms SO_RCVTIMEO: EAGAIN after (29[0-9]|[3-9][0-9][0-9]) ms$' \
        "a receive timeout as EAGAIN (not early, under 1 s)" &&
    expect_out $t '^net: errno: non-blocking connect\(\) to 10\.0\.0\.250: EINPROGRESS, select\(\) timed out$' \
        "EINPROGRESS and select()'s timeout" &&
    expect_out $t '^net: errno: recv\(\) after the peer reset the connection: ECONNRESET$' "ECONNRESET" &&
    expect_out $t '^net: getaddrinfo: 10\.0\.0\.1 port 9000, EAI_SERVICE for "http", EAI_FAMILY for IPv6$' \
        "getaddrinfo() of a numeric host" &&
    expect_out $t '^net: DNS: dom0\.minios\.test is 10\.0\.0\.1 \([0-9]+ ms\), nosuch\.minios\.test EAI_FAIL \([0-9]+ ms\)$' \
        "a name through dom0's DNS server, and a missing one" &&
    expect_out $t '^net: errno: connect\(\) to 10\.0\.0\.250 \(SYNs unanswered\): ETIMEDOUT after [0-9]+ ms$' \
        "a blocking connect()'s ETIMEDOUT" &&
    expect_out $t '^net: errno: non-blocking connect\(\), poll\(\), SO_ERROR to 10\.0\.0\.250 \(SYNs unanswered\): ETIMEDOUT after [0-9]+ ms$' \
        "a non-blocking connect()'s ETIMEDOUT" &&
    expect_out $t "^dom0-hook: eth1: 'through eth1' back from 10\.0\.0\.3$" "a connection through eth1" &&
    expect_out $t '^net: eth1 \(10\.0\.0\.3, MAC 00:\.\.\.:01\): dom0.s connection to it echoed$' \
        "the connection arriving at eth1's address" &&
    expect_out $t '^dom0-hook: detach: xl network-detach done; vifs left: 1$' "xl network-detach" &&
    expect_out $t '^netfront: eth1: the backend is (Closing|Closed|gone): the interface goes$' \
        "netfront seeing the backend close" &&
    expect_out $t '^net: eth1 is gone: down in lwIP, device closed in order$' "the ordered close of eth1" &&
    expect_out $t '^net: eth1 went down [0-9]+ ms after we started waiting$' "the application seeing eth1 go" &&
    expect_out $t '^net: eth0 still up after the detach, and dom0 done with it$' \
        "eth0 working after the detach" &&
    expect_out $t "^dom0-hook: after detach: 'still here'$" "the guest's line after the detach" &&
    expect_out $t '^dom0-hook: attach: xl network-attach done; vifs \(devid mac\): 0 00:16:3e:00:01:00, [0-9]+ 00:16:3e:00:01:02$' \
        "xl network-attach of a third vif" &&
    expect_in_order $t "the attached vif connecting under eth1's freed name, addressed, used and detached" \
        '^net: eth1 is gone: down in lwIP, device closed in order$' \
        '^netfront: device/vif/[0-9]+ appeared$' \
        '^netfront: eth1: connected to /local/domain/0/backend/vif/[0-9]+/[0-9]+ \(domain 0\), MAC 00:16:3e:00:01:02$' \
        '^net: eth1 00:16:3e:00:01:02 10\.0\.0\.4/24 gw 10\.0\.0\.1 \(dhcp from 10\.0\.0\.1\)$' \
        '^net: hotplug: eth1 \(MAC 00:16:3e:00:01:02\) up with 10\.0\.0\.4, [0-9]+ ms after we started waiting$' \
        '^net: hotplug: eth1 counters after dom0.s ping and connection: rx [1-9][0-9]* frames [0-9]+ bytes, tx [1-9][0-9]* frames [0-9]+ bytes, dropped rx 0 tx 0$' \
        '^netfront: eth1: the backend is (Closing|Closed|gone): the interface goes$' \
        '^net: eth1 is gone: down in lwIP, device closed in order$' \
        '^net: hotplug: eth1 went down again [0-9]+ ms after we started waiting$' \
        '^net: hotplug: eth0 still up, and dom0 done with the second detach$' &&
    expect_out $t '^dom0-hook: hotplug: ping: 3 packets transmitted, 3 packets received, 0% packet loss$' \
        "dom0's ping of the attached vif answered" &&
    expect_out $t "^dom0-hook: hotplug: 'through the new vif' back from 10\.0\.0\.4$" \
        "a connection through the attached vif" &&
    expect_out $t '^dom0-hook: hotplug: xl network-detach of devid [0-9]+ done; vifs left: 1$' \
        "xl network-detach of the attached vif" &&
    expect_out $t "^dom0-hook: after second detach: 'still here'$" "the guest's line after the second detach" &&
    expect_no_out $t '^libxl: error' "an error of libxl's" &&
    expect_out $t '^dom0-hook: exit status 0$' "the dom0 hook ending well" &&
    expect_no_out $t '^(xenbus|netfront): .*(went away|still|lies|impossible|not connected)' \
        "a backend complaint" &&
    pass "$t ($mode; $(sed -n 's/^tcp: echoed \([0-9]*\) bytes in \([0-9]* ms\) (\(.*\))$/\1 bytes echoed in \2, \3/p' "$TEST_OUT/$t.out"); connect timeout $(sed -n 's/^net: errno: connect() to .*ETIMEDOUT after \([0-9]*\) ms$/\1 ms/p' "$TEST_OUT/$t.out"))"
}

# The HTTP example (apps/httpd) with a static address from its command
# line: dom0's busybox wget gets the page, the JSON status with the
# kernel's counters, a 404, and 100 requests at once for /seq/N, each body
# compared with busybox seq's (tests/net/http-hook.sh); `xl shutdown` ends
# it with status 0.
test_net_http() {
    local t=net-http
    build_app $t apps/httpd || return
    boot_domu $t build/httpd/minios.elf --net 1 --mem 64 --vcpus 2 --timeout 300 \
        --dom0-hook tests/net/http-hook.sh -- NET_IP=10.0.0.2/24 NET_GW=10.0.0.1 NET_DNS=10.0.0.1
    expect_status $t 0 &&
    expect_out $t '^net: eth0 00:16:3e:00:01:00 10\.0\.0\.2/24 gw 10\.0\.0\.1 dns 10\.0\.0\.1 \(static\)$' \
        "the static address's line" &&
    expect_out $t '^httpd: serving on port 80$' "the server's line" &&
    expect_out $t "^dom0-hook: page: [0-9]+ bytes, title 'minios'$" "the page in dom0's wget" &&
    expect_out $t '^dom0-hook: status: \{"minios": "[^"]+", "uptime_ms": [0-9]+, "vcpus": 2, "threads": [0-9]+, .*"pages_free": [1-9][0-9]*, "requests": [1-9][0-9]*, .*"interfaces": \[\{"name": "eth0", "mac": "00:16:3e:00:01:00", "up": true, "address": "10\.0\.0\.2", "dhcp": false, "rx_frames": [1-9]' \
        "the JSON status with the kernel's counters" &&
    expect_out $t '^dom0-hook: 404: HTTP/1\.1 404 Not Found$' "a 404 for an unknown path" &&
    expect_out $t '^dom0-hook: concurrent: 100 of 100 bodies right in ' "100 requests at once" &&
    expect_out $t '^dom0-hook: exit status 0$' "the dom0 hook ending well" &&
    pass "$t ($(sed -n 's/^dom0-hook: concurrent: \(.*\)$/\1/p' "$TEST_OUT/$t.out"))"
}

# The echo example (apps/echod: TCP and UDP in one thread, through
# select()), its address from xenstore (the vif line's ip=): 1 MiB echoed
# to dom0's nc, then 3 connections at once (tests/net/echo-hook.sh); then
# a hostile toolstack: device directories with missing or nonsense keys
# appear (each refused with its line, the guest's state Closing; one the
# guest may not write to stays Initialising), a name that is no number, and the watch fired 100 times
# (the echo still answers, nothing offered twice).
test_net_apps_echo() {
    local t=net-apps-echo
    build_app $t apps/echod || return
    boot_domu $t build/echod/minios.elf --net 1 --net-ip 10.0.0.2/24 --timeout 240 \
        --dom0-hook tests/net/echo-hook.sh
    expect_status $t 0 &&
    expect_out $t '^net: eth0 00:16:3e:00:01:00 10\.0\.0\.2/24 \(xenstore\)$' \
        "the address from xenstore" &&
    expect_out $t '^echo: serving TCP and UDP on port 7$' "the server's line" &&
    expect_out $t '^dom0-hook: echo: 1048576 bytes back, identical$' "1 MiB echoed" &&
    expect_out $t '^dom0-hook: at once: 3 of 3 connections identical$' "3 connections at once" &&
    expect_out $t '^xenbus: device/vif/70: no backend: ENOENT' "a device without a backend refused" &&
    expect_out $t '^xenbus: device/vif/71: the backend path is not a path$' \
        "a device with a nonsense backend path refused" &&
    expect_out $t '^xenbus: device/vif/72: backend-id is not a domain id$' \
        "a device with a nonsense backend-id refused" &&
    expect_out $t '^netfront: eth1: device/vif/73/mac is missing or not a MAC address$' \
        "a device with a nonsense MAC refused" &&
    expect_out $t '^xenbus: device/vif/74: cannot switch to Closing: EACCES$' \
        "a device we may not even write to, told" &&
    expect_out $t '^xenbus: device/vif: 1 name that is no device number, ignored$' \
        "a name that is no number" &&
    expect_out $t '^dom0-hook: hostile: device/vif/70: the guest.s state 5$' "giving up on 70" &&
    expect_out $t '^dom0-hook: hostile: device/vif/71: the guest.s state 5$' "giving up on 71" &&
    expect_out $t '^dom0-hook: hostile: device/vif/72: the guest.s state 5$' "giving up on 72" &&
    expect_out $t '^dom0-hook: hostile: device/vif/73: the guest.s state 5$' "giving up on 73" &&
    expect_out $t "^dom0-hook: hostile: after 100 more watch events, the echo: 'one more line'; device/vif/74's state 1$" \
        "the guest serving after the watch fired 100 times" || return
    local id
    for id in 70 71 72 73 74; do
        if [ "$(grep -c "^netfront: device/vif/$id appeared$" "$TEST_OUT/$t.out")" != 1 ]; then
            fail $t "device/vif/$id was not offered exactly once" "$TEST_OUT/$t.out"
            return
        fi
    done
    expect_out $t '^dom0-hook: exit status 0$' "the dom0 hook ending well" &&
    pass "$t"
}

# The client example (apps/fetch) fetching a page from dom0's busybox httpd
# (tests/net/fetch-hook.sh) by name: getaddrinfo() asks the DNS server of
# the static configuration (NET_DNS: dom0's dnsmasq) for dom0.minios.test;
# net-tcp resolves through the one DHCP named.
test_net_apps_fetch() {
    local t=net-apps-fetch
    build_app $t apps/fetch || return
    boot_domu $t build/fetch/minios.elf --net 1 --timeout 240 \
        --dom0-hook tests/net/fetch-hook.sh -- NET_IP=10.0.0.2/24 NET_GW=10.0.0.1 NET_DNS=10.0.0.1 \
        http://dom0.minios.test:8080/hello.txt
    expect_status $t 0 &&
    expect_out $t '^net: eth0 00:16:3e:00:01:00 10\.0\.0\.2/24 gw 10\.0\.0\.1 dns 10\.0\.0\.1 \(static\)$' \
        "the static address and DNS server" &&
    expect_out $t '^fetch: HTTP/1\.[01] 200 OK \([0-9]+ bytes of head\)$' "the status line" &&
    expect_out $t "^a page from dom0's busybox httpd$" "the page's body" &&
    expect_out $t '^fetch: 33 bytes of body, [0-9]+ in all$' "the body's size" &&
    pass "$t"
}

if [ -n "${net_alone:-}" ]; then
    for fn in $(sed -n 's/^\(test_[A-Za-z0-9_]*\)() {.*/\1/p' "${BASH_SOURCE[0]}"); do
        "$fn"
    done
    summary
fi
