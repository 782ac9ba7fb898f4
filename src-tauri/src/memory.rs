//! What the app's own process holds (Linux only): how glibc's allocator
//! gives memory back, set once at start and asked again after a week's
//! board is built, and no OpenGL driver where nothing draws with one.
//!
//! The allocator, measured on the large agency under Xvfb (release build, PSS of the app
//! process, the web processes unchanged): with glibc's defaults the app
//! process held 129 MB with the day's rota painted and 143 MB once the week
//! had been shown; with these settings, 119 MB for both. The defaults keep
//! a heap arena per thread that has ever allocated, and raise the size at
//! which a block is mapped on its own each time such a block is freed, so
//! the few large buffers of a week read end up in arenas that are rarely
//! handed back. The app is idle most of the time, so the cost of trimming
//! more often is not felt.

/// Two arenas at most; blocks of 128 KiB and more are mapped on their own
/// (and so unmapped when freed); free memory above 128 KiB at the top of a
/// heap is returned to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn give_memory_back_sooner() {
    const KIB_128: libc::c_int = 128 * 1024;
    for (option, value) in
        [(libc::M_ARENA_MAX, 2), (libc::M_MMAP_THRESHOLD, KIB_128), (libc::M_TRIM_THRESHOLD, KIB_128)]
    {
        // SAFETY: mallopt only reads its two integers; it is called before
        // any thread of ours or of GTK and WebKit has started, and an option
        // it refuses leaves glibc's default in place.
        unsafe {
            libc::mallopt(option, value);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_memory_back_sooner() {}

/// Hands the pages freed inside the heap back to the system, after a week's
/// board was built: the read's rows and the page caches it emptied lie
/// between blocks still in use, where the settings above (which only trim
/// a heap's top) cannot reach them. On a thread of its own, so the board
/// is not kept waiting.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn give_freed_memory_back() {
    std::thread::spawn(|| {
        // SAFETY: malloc_trim takes the arenas' own locks; its argument is
        // the padding to leave at each heap's top.
        unsafe {
            libc::malloc_trim(0);
        }
    });
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_freed_memory_back() {}

/// Keeps Mesa's OpenGL driver, and the LLVM it links, out of the app's own
/// process, where nothing draws with it; the web process, which needs it,
/// still loads it. Call with `no_gl_here` true only when the window draws
/// without GPU layers or GPU buffers (see `main`).
///
/// WebKit's UI process opens an EGL display as it starts the page, and
/// Mesa's driver maps LLVM with it: about 20 MB of pages relocated in this
/// process alone. The web process aborts without a display ("Could not
/// create default EGL display"), and it inherits this process's
/// environment, so hiding the driver from both is not an option. But
/// libglvnd, the EGL every Linux distribution ships, reads its list of
/// drivers once per process, at the first EGL call. So that first call is
/// made here, with the list pointed at no file; the variable is then taken
/// out again, and the web process, started later, finds Mesa as usual.
/// A list of drivers already set in the environment (a machine's own GPU
/// driver) is left alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn no_opengl_driver_in_this_process(no_gl_here: bool) {
    const LIST: &str = "__EGL_VENDOR_LIBRARY_FILENAMES";
    const DIRS: &str = "__EGL_VENDOR_LIBRARY_DIRS";
    if !no_gl_here || std::env::var_os(LIST).is_some() || std::env::var_os(DIRS).is_some() {
        return;
    }
    std::env::set_var(LIST, "/nonexistent/caredesk-draws-without-opengl.json");
    // SAFETY: called before any thread starts (set_var above needs that
    // too). dlopen and dlsym are given NUL-terminated names; a missing
    // library or symbol gives null, checked before use; eglGetDisplay's C
    // signature is `EGLDisplay eglGetDisplay(EGLNativeDisplayType)`, both
    // pointers, and EGL_DEFAULT_DISPLAY is null. The library stays loaded:
    // WebKit links it anyway.
    unsafe {
        let egl = libc::dlopen(c"libEGL.so.1".as_ptr(), libc::RTLD_NOW);
        if !egl.is_null() {
            let symbol = libc::dlsym(egl, c"eglGetDisplay".as_ptr());
            if !symbol.is_null() {
                let get_display: unsafe extern "C" fn(*mut libc::c_void) -> *mut libc::c_void =
                    std::mem::transmute(symbol);
                // With no driver listed, there is no display: that is the point.
                get_display(std::ptr::null_mut());
            }
        }
    }
    std::env::remove_var(LIST);
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn no_opengl_driver_in_this_process(_no_gl_here: bool) {}
