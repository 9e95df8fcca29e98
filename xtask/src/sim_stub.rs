// TEMPORARY stub of the sim API for compiling xtask before sim exists.
use std::path::PathBuf;
#[derive(Default)]
pub struct SimConfig {
    pub dist_dir: Option<PathBuf>,
    pub config_json: Option<String>,
}
pub struct Sim;
impl Sim {
    pub fn new(_c: SimConfig) -> Sim {
        Sim
    }
}
pub async fn serve(
    l: tokio::net::TcpListener,
    _s: Sim,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tokio::select! { _ = shutdown => {}, _ = async { loop { let _ = l.accept().await; } } => {} }
    Ok(())
}
