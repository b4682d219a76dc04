Package: tzdata
Version: 2021a-1+deb11u8
Architecture: all
Maintainer: x
Installed-Size: 3413
Description: time zone
 and daylight-saving time data
