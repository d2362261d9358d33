//! Linux capability names, as `docker run --cap-add/--cap-drop` and lesson
//! files spell them (upper case, without the `CAP_` prefix; `ALL` for every
//! one). The list is capabilities(7) of Linux 6.x.

/// Every capability name, sorted.
pub const CAPABILITIES: &[&str] = &[
    "AUDIT_CONTROL",
    "AUDIT_READ",
    "AUDIT_WRITE",
    "BLOCK_SUSPEND",
    "BPF",
    "CHECKPOINT_RESTORE",
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "IPC_LOCK",
    "IPC_OWNER",
    "KILL",
    "LEASE",
    "LINUX_IMMUTABLE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "MKNOD",
    "NET_ADMIN",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_RAW",
    "PERFMON",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYSLOG",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_CHROOT",
    "SYS_MODULE",
    "SYS_NICE",
    "SYS_PACCT",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "WAKE_ALARM",
];

/// `cap_net_raw`, `CAP_NET_RAW` and `NET_RAW` are one capability: `NET_RAW`.
pub fn normalize(cap: &str) -> String {
    let up = cap.trim().to_ascii_uppercase();
    up.strip_prefix("CAP_").map(str::to_string).unwrap_or(up)
}

/// Is `cap` (normalised) a capability name or `ALL`?
pub fn is_known(cap: &str) -> bool {
    cap == "ALL" || CAPABILITIES.binary_search(&cap).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_normalised() {
        let mut sorted = CAPABILITIES.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, CAPABILITIES);
        assert_eq!(normalize("cap_net_raw"), "NET_RAW");
        assert_eq!(normalize(" Net_Bind_Service "), "NET_BIND_SERVICE");
        assert!(is_known("ALL"));
        assert!(is_known("SYS_ADMIN"));
        assert!(!is_known("NET_RAWR"));
    }
}
