"""Simulated cameras for jikimi's demo, tests and benchmarks: synthetic moving scenes over RTSP and HLS.

    scenes   encode a lavfi scene (testsrc2, mandelbrot, life) once into a loop of H.264 access units
    rtsp     RtspCameraServer: a minimal RTSP/RTP-over-TCP server replaying the loops in real time
    hls      HlsCameraServer: live HLS playlists written by PyAV, served by http.server
    stamp    the frame index burnt into a stamped loop's pictures: the camera's clock on screen

Run ``python -m tools.simcam --help`` from the repository's root for the command line.
Nothing here is installed with jikimi: it stands in for the cameras a real institution has.
"""
