//! Objects a test made on the engine, removed when the guard drops (also on
//! panic): containers first, then networks, then images.

use std::process::Command;

#[derive(Default)]
pub struct Cleanup {
    pub images: Vec<String>,
    pub containers: Vec<String>,
    pub networks: Vec<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        // last created first: a container that joined another's namespaces goes before it
        for c in self.containers.iter().rev() {
            let _ = Command::new("docker").args(["rm", "-f", c]).output();
        }
        for n in &self.networks {
            let _ = Command::new("docker").args(["network", "rm", n]).output();
        }
        for i in &self.images {
            let _ = Command::new("docker").args(["rmi", "-f", i]).output();
        }
    }
}
