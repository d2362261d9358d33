//! The scan container's mount pin: stats answer the same while it is held,
//! and the container is removed after it is released.

use crate::common;

use dockdojo::engine::fs::ScanContainer;

#[tokio::test]
async fn stats_under_a_mount_pin_answer_and_the_container_goes_away() {
    let Some(engine) = common::engine("scan_pin").await else {
        return;
    };
    let scan = ScanContainer::create(&engine, "busybox:1.36", "ddt-perf-pin")
        .await
        .expect("a scan container of busybox:1.36");
    let id = scan.id.clone();
    let pin = scan.pin_mount();
    for _ in 0..3 {
        assert!(scan.exists("/bin/sh").await.expect("stat /bin/sh"));
        assert!(!scan
            .exists("/usr/local/go/bin/go")
            .await
            .expect("stat a missing path"));
        assert!(scan.stat("/nonexistent").await.expect("stat").is_none());
    }
    pin.release().await;
    scan.remove().await;
    let gone = engine.docker.inspect_container(&id, None).await;
    assert!(gone.is_err(), "the scan container {id} is still there");
}
