//! Answers an engine gives only for a moment, and that say nothing about what
//! was asked: the request is made again, a few times, then the error stands.
//!
//! - Docker's containerd image store answers an image list with a 404
//!   ("content digest …: not found") when an image's content is deleted while
//!   the list adds up sizes: a list made while another client removes an image.
//! - Podman names a container that has been stopped but not yet cleaned up (a
//!   `run --rm` one on its way out) in the state `stopped`, which the Docker API
//!   lacks, so a list or an inspect that holds it cannot be read.
//!
//! Both last milliseconds. [`ask`] waits 100, 200, 400 and 800 ms between
//! [`TRIES`] tries; each try keeps the client's own time bound.

use std::future::Future;
use std::time::Duration;

/// Tries in all before a passing answer stands as the error.
const TRIES: u32 = 5;

/// The wait before the second try; it doubles before each later one.
const FIRST_PAUSE: Duration = Duration::from_millis(100);

/// `request` made until its answer is not `passing`, at most [`TRIES`] times.
/// `what` names it in the debug log.
pub async fn ask<T, F, Fut>(
    what: &str,
    passing: fn(&bollard::errors::Error) -> bool,
    mut request: F,
) -> Result<T, bollard::errors::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, bollard::errors::Error>>,
{
    let mut pause = FIRST_PAUSE;
    for tries in 1.. {
        match request().await {
            Err(e) if tries < TRIES && passing(&e) => {
                tracing::debug!("{what} met a passing answer (try {tries}): {e}");
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            r => return r,
        }
    }
    unreachable!("the loop returns by the last try")
}

/// The containerd store's 404 for content deleted while an image list ran.
pub fn content_gone_while_listing(e: &bollard::errors::Error) -> bool {
    matches!(e, bollard::errors::Error::DockerResponseServerError { status_code: 404, message }
        if message.contains("not found"))
}

/// Podman's `stopped` state, which the Docker API's container states lack.
pub fn podmans_stopped_state(e: &bollard::errors::Error) -> bool {
    matches!(e, bollard::errors::Error::JsonDataError { message, .. }
        if message.contains("unknown variant `stopped`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn stopped() -> bollard::errors::Error {
        bollard::errors::Error::JsonDataError {
            message: "unknown variant `stopped`, expected one of ``, `created`, `running`".into(),
            column: 452,
        }
    }

    #[test]
    fn podmans_stopped_state_is_passing_and_other_read_errors_are_not() {
        let read = |message: &str| bollard::errors::Error::JsonDataError {
            message: message.into(),
            column: 452,
        };
        assert!(podmans_stopped_state(&stopped()));
        assert!(!podmans_stopped_state(&read("missing field `Id`")));
        assert!(!podmans_stopped_state(
            &bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: "unknown variant `stopped`".into(),
            }
        ));
    }

    #[test]
    fn an_image_list_404_is_a_race_and_other_errors_are_not() {
        let e = |status_code, message: &str| bollard::errors::Error::DockerResponseServerError {
            status_code,
            message: message.into(),
        };
        assert!(content_gone_while_listing(&e(
            404,
            "content digest sha256:1446e085: not found"
        )));
        assert!(content_gone_while_listing(&e(
            404,
            "failed to calculate size of image docker.io/library/x:latest: content digest sha256:c271: not found"
        )));
        assert!(!content_gone_while_listing(&e(500, "not found")));
        assert!(!content_gone_while_listing(&e(403, "forbidden")));
    }

    #[tokio::test]
    async fn a_passing_answer_is_asked_again_until_it_passes() {
        let calls = AtomicU32::new(0);
        let r = ask("test", podmans_stopped_state, || async {
            if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(stopped())
            } else {
                Ok(7)
            }
        })
        .await;
        assert_eq!(r.ok(), Some(7));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn another_error_stands_at_once_and_a_passing_one_after_the_last_try() {
        let calls = AtomicU32::new(0);
        let r: Result<(), _> = ask("test", podmans_stopped_state, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                message: "No such container: x".into(),
            })
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        let calls = AtomicU32::new(0);
        let r: Result<(), _> = ask("test", podmans_stopped_state, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(stopped())
        })
        .await;
        assert!(r.as_ref().is_err_and(podmans_stopped_state));
        assert_eq!(calls.load(Ordering::SeqCst), TRIES);
    }
}
