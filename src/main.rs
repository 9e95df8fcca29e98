fn main() {
    dispatch_desk::start();
}
