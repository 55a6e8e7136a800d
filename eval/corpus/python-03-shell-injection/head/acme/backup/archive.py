"""Archive folders for backup."""
import subprocess


def archive(folder, target):
    """Write a gzip tarball of folder to target."""
    subprocess.run(f"tar czf {target} {folder}", shell=True, check=True)
    return target
