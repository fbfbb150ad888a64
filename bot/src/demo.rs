pub async fn run() -> Result<(), String> {
    Ok(())
}
