//! Network probe scripts (run with `/bin/sh -c` in the pack's probe image,
//! arguments passed as `$1...`, never interpolated) and the pure parsing of
//! what they print.

use crate::check::facts::ReachAttempt;

/// `$1` = port, then the addresses. One TCP connect per address, bounded to 2 s,
/// all addresses at once: a network that drops the packets (Docker's isolation
/// rules do) costs each try its whole bound, and a container on two networks
/// has two addresses. With a full busybox `nc`: `-z` (connect only). With the
/// small one: connect, then run `true` on the socket, so the exit status is 0
/// only on connect. Each answer is one short line (one write, never mixed
/// with another's); [`parse_reach`] puts them back in address order.
pub const TCP_SCRIPT: &str = r#"port="$1"; shift
if nc --help 2>&1 | grep -q -- '-z'; then z=1; else z=0; fi
for ip in "$@"; do
  (
    if [ "$z" = 1 ]; then
      nc -z -w 2 "$ip" "$port" </dev/null >/dev/null 2>&1 && r=ok || r=no
    else
      nc -w 2 "$ip" "$port" -e true </dev/null >/dev/null 2>&1 && r=ok || r=no
    fi
    echo "dockdojo-reach $ip $r"
  ) &
done
wait"#;

/// The addresses. One ping per address, bounded to 2 s, all at once.
pub const ICMP_SCRIPT: &str = r#"for ip in "$@"; do
  (
    if ping -c 1 -W 2 "$ip" >/dev/null 2>&1; then r=ok; else r=no; fi
    echo "dockdojo-reach $ip $r"
  ) &
done
wait"#;

/// `$1` = the name. Docker's DNS answers through the container's resolver.
pub const RESOLVE_SCRIPT: &str = r#"if command -v getent >/dev/null 2>&1; then
  getent hosts "$1" | sed 's/^/dockdojo-addr /'
else
  nslookup "$1" 2>&1
fi
echo "dockdojo-done""#;

/// Parse the lines of [`TCP_SCRIPT`] / [`ICMP_SCRIPT`], in address order
/// (the tries run at once and answer in any order).
pub fn parse_reach(stdout: &str, method: &str) -> Vec<ReachAttempt> {
    let mut attempts: Vec<ReachAttempt> = stdout
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            if w.next()? != "dockdojo-reach" {
                return None;
            }
            let address = w.next()?.to_string();
            let ok = w.next()? == "ok";
            Some(ReachAttempt {
                address,
                method: method.to_string(),
                ok,
            })
        })
        .collect();
    attempts.sort_by(|a, b| a.address.cmp(&b.address));
    attempts
}

/// Addresses from `getent hosts` (prefixed lines) or busybox `nslookup`
/// (the `Address` lines after a `Name:` line; the server's own address comes
/// before it and is not an answer).
pub fn parse_resolve(stdout: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_answer = false;
    for line in stdout.lines() {
        let l = line.trim();
        if let Some(rest) = l.strip_prefix("dockdojo-addr ") {
            if let Some(a) = rest.split_whitespace().next() {
                out.push(a.to_string());
            }
            continue;
        }
        if l.starts_with("Name:") {
            in_answer = true;
            continue;
        }
        if l.is_empty() || l.starts_with("***") || l.starts_with("Non-authoritative") {
            in_answer = in_answer && !l.starts_with("***");
            continue;
        }
        if in_answer && l.starts_with("Address") {
            // `Address: 172.18.0.2` or `Address 1: 172.18.0.2 finance`
            if let Some((_, v)) = l.split_once(':') {
                if let Some(a) = v.split_whitespace().next() {
                    out.push(a.to_string());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_lines_are_parsed() {
        let a = parse_reach(
            "dockdojo-reach 172.18.0.2 ok\nnoise\ndockdojo-reach 10.0.0.3 no\n",
            "tcp/80",
        );
        assert_eq!(a.len(), 2);
        // in address order, whatever order the tries answered in
        assert!(!a[0].ok && a[0].address == "10.0.0.3");
        assert!(a[1].ok && a[1].address == "172.18.0.2" && a[1].method == "tcp/80");
        assert!(parse_reach("", "icmp").is_empty());
    }

    #[test]
    fn nslookup_answers_are_parsed_and_the_server_is_not() {
        let ok = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tfinance\nAddress: 172.18.0.2\n\n*** Can't find finance: No answer\n\ndockdojo-done\n";
        assert_eq!(parse_resolve(ok), vec!["172.18.0.2".to_string()]);
        let nx = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find finance: NXDOMAIN\n\ndockdojo-done\n";
        assert!(parse_resolve(nx).is_empty());
        let getent = "dockdojo-addr 172.18.0.2      finance\ndockdojo-done\n";
        assert_eq!(parse_resolve(getent), vec!["172.18.0.2".to_string()]);
    }
}
