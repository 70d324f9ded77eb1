# Installation in FHS places and the Debian package (CPack DEB).
#
#   cmake --install build/default       # /usr/sbin/vipd, /etc/vipd, ... (DESTDIR= to stage)
#   cd build/default && cpack          # vipd_VERSION_ARCH.deb
#
# A system daemon: unless told otherwise the prefix is /usr, for which
# GNUInstallDirs maps sysconfdir to /etc. That is where the unit
# (ExecStart=/usr/sbin/vipd) and the daemon's default -f (/etc/vipd/vipd.conf)
# expect them.
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX /usr CACHE PATH "Install prefix" FORCE)
endif()
include(GNUInstallDirs)
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(WARNING "CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}: the installed vipd.service "
                  "still runs /usr/sbin/vipd, and vipd reads /etc/vipd/vipd.conf by default")
endif()

# Debian (bookworm) keeps packaged units in /lib/systemd/system; under
# another prefix they go below it.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR CMAKE_INSTALL_PREFIX STREQUAL "/")
  set(_vipd_unit_dir /lib/systemd/system)
else()
  set(_vipd_unit_dir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(VIPD_SYSTEMD_UNIT_DIR ${_vipd_unit_dir} CACHE PATH "Where vipd.service is installed")

install(TARGETS vipd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
# vipctl talks to the root-only control socket: an administrator's command.
if(TARGET vipctl)
  install(TARGETS vipctl RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
endif()

# Installs the configuration file FILE into the absolute DIR unless DIR has
# one of that name already: re-running cmake --install keeps an operator's
# edits, as dpkg does for the package's conffiles (below).
function(vipd_install_config file dir)
  get_filename_component(name ${file} NAME)
  install(CODE "
    if(EXISTS \"\$ENV{DESTDIR}${dir}/${name}\")
      message(STATUS \"Keeping: \$ENV{DESTDIR}${dir}/${name}\")
    else()
      file(INSTALL DESTINATION \"${dir}\" TYPE FILE FILES \"${file}\")
    endif()")
endfunction()
vipd_install_config(${PROJECT_SOURCE_DIR}/etc/vipd.conf ${CMAKE_INSTALL_FULL_SYSCONFDIR}/vipd)
vipd_install_config(${PROJECT_SOURCE_DIR}/etc/default/vipd ${CMAKE_INSTALL_FULL_SYSCONFDIR}/default)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/vipd.service DESTINATION ${VIPD_SYSTEMD_UNIT_DIR})

# Every page in man/, so a new one (vipctl.8) needs no change here.
foreach(section 5 8)
  file(GLOB _vipd_pages CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/man/*.${section})
  install(FILES ${_vipd_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The pristine example, for an operator who has edited /etc/vipd/vipd.conf.
install(FILES ${PROJECT_SOURCE_DIR}/etc/vipd.conf DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
# The load-sharing layouts (active-active, three hosts), beside the basic one.
file(GLOB _vipd_examples ${PROJECT_SOURCE_DIR}/etc/examples/*.conf)
install(FILES ${_vipd_examples} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# --- Debian package -------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vipd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The extended description, wrapped for dpkg (CPack does not wrap it).
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "vipd keeps floating IP addresses on exactly one of two or more Linux\n"
       "hosts with VRRP (RFC 5798/9568 version 3 for IPv4 and IPv6, RFC 3768\n"
       "version 2 for IPv4). It is a drop-in for the VRRP half of keepalived:\n"
       "it reads keepalived.conf syntax, passes the same arguments to notify\n"
       "scripts and interoperates with keepalived on the wire.")
set(VIPD_PACKAGE_MAINTAINER "vipd maintainers <maintainers@users.noreply.b-seed-b804867b.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${VIPD_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${VIPD_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends: from the libraries the binaries link (dpkg-shlibdeps, dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)

# CMake 3.25 marks no file as a conffile by itself.
set(_vipd_control ${PROJECT_BINARY_DIR}/packaging/debian)
file(MAKE_DIRECTORY ${_vipd_control})
file(WRITE ${_vipd_control}/conffiles
     "${CMAKE_INSTALL_FULL_SYSCONFDIR}/vipd/vipd.conf\n"
     "${CMAKE_INSTALL_FULL_SYSCONFDIR}/default/vipd\n")
# postinst/postrm only tell a running systemd about the unit; the operator
# enables and starts vipd.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_vipd_control}/conffiles ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
