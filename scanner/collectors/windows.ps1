# SPDX-License-Identifier: GPL-2.0-or-later
#
# trueup's Windows collector: writes one JSON file per machine with the host facts licence
# metrics need, the Uninstall registry entries (64-bit, WOW6432Node and every loaded user
# hive), the enabled Windows features and the AppX packages. `trueup import FILE` reads it
# (scanner/tu-scan-windows.c, tu_windows_parse_json).
#
# Read-only: it reads the registry and CIM classes and changes nothing. It never queries
# Win32_Product, which makes Windows Installer verify (and repair) every MSI package.
# Compatible with Windows PowerShell 5.1 and PowerShell 7. Run it as an administrator for the
# complete picture: without elevation Get-WindowsOptionalFeature and Get-AppxPackage -AllUsers
# fail and are left out (with a warning), everything else still works.
#
#   powershell -NoProfile -ExecutionPolicy Bypass -File windows.ps1 [-OutputDirectory DIR] [-Stdout]

[CmdletBinding()]
param(
	[string]$OutputDirectory = '.',
	[switch]$Stdout
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

function Get-Safe {
	# Run a script block; on failure warn and return $null so that one missing piece of
	# information never loses the rest.
	param([scriptblock]$Block, [string]$What)
	try {
		return & $Block
	} catch {
		Write-Warning "trueup: $What unavailable: $($_.Exception.Message)"
		return $null
	}
}

function Open-Hklm {
	# The 64-bit view of HKLM, also from a 32-bit PowerShell (which would otherwise be
	# redirected to WOW6432Node). On 32-bit Windows this is the only view.
	return [Microsoft.Win32.RegistryKey]::OpenBaseKey(
		[Microsoft.Win32.RegistryHive]::LocalMachine, [Microsoft.Win32.RegistryView]::Registry64)
}

function Get-RegValue {
	param($Key, [string]$Name)
	if ($null -eq $Key) { return $null }
	$v = $Key.GetValue($Name, $null)
	if ($v -is [string[]]) { return ($v -join "`n") }
	return $v
}

$UninstallValues = @('DisplayName', 'DisplayVersion', 'Publisher', 'InstallDate', 'InstallLocation',
	'EstimatedSize', 'SystemComponent', 'ParentKeyName', 'ReleaseType', 'WindowsInstaller')

function Get-UninstallEntries {
	# Every direct subkey of one Uninstall key, as an ordered map with the hive it came from.
	param($BaseKey, [string]$BaseName, [string]$SubPath, [string]$Hive)
	$entries = New-Object System.Collections.ArrayList
	$key = $null
	try { $key = $BaseKey.OpenSubKey($SubPath, $false) } catch { $key = $null }
	if ($null -eq $key) { return $entries }
	try {
		foreach ($name in $key.GetSubKeyNames()) {
			$sub = $null
			try { $sub = $key.OpenSubKey($name, $false) } catch { $sub = $null }
			if ($null -eq $sub) { continue }
			try {
				$e = [ordered]@{
					hive = $Hive
					key  = "$BaseName\$SubPath\$name"
				}
				foreach ($v in $UninstallValues) { $e[$v] = Get-RegValue $sub $v }
				[void]$entries.Add($e)
			} finally {
				$sub.Close()
			}
		}
	} finally {
		$key.Close()
	}
	return $entries
}

$uninstallPath = 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall'
$wowPath = 'SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall'

# ---- host facts ---------------------------------------------------------------------------

$cs = Get-Safe { Get-CimInstance -ClassName Win32_ComputerSystem } 'Win32_ComputerSystem'
$os = Get-Safe { Get-CimInstance -ClassName Win32_OperatingSystem } 'Win32_OperatingSystem'
$bios = Get-Safe { Get-CimInstance -ClassName Win32_BIOS } 'Win32_BIOS'
$cpus = @(Get-Safe { Get-CimInstance -ClassName Win32_Processor } 'Win32_Processor')
$hklm = Open-Hklm

$cryptography = Get-Safe { $hklm.OpenSubKey('SOFTWARE\Microsoft\Cryptography', $false) } 'MachineGuid'
$machineGuid = Get-RegValue $cryptography 'MachineGuid'
$ntKey = Get-Safe { $hklm.OpenSubKey('SOFTWARE\Microsoft\Windows NT\CurrentVersion', $false) } 'CurrentVersion'
$editionId = Get-RegValue $ntKey 'EditionID'
$ubr = Get-RegValue $ntKey 'UBR'
$productName = Get-RegValue $ntKey 'ProductName'

$hostname = $env:COMPUTERNAME
if ($null -ne $cs -and $cs.Name) { $hostname = $cs.Name }
$fqdn = Get-Safe { [System.Net.Dns]::GetHostEntry('').HostName } 'FQDN'
$domain = $null
if ($null -ne $cs) { $domain = $cs.Domain }

$osVersion = $null
$osBuild = $null
$osCaption = $productName
$osArch = $null
if ($null -ne $os) {
	$osVersion = $os.Version
	$osBuild = $os.Version
	if ($null -ne $ubr) { $osBuild = "$($os.Version).$ubr" }
	$osCaption = ($os.Caption -replace '\s+$', '')
	$osArch = $os.OSArchitecture
}
$osName = $osCaption
if ($osCaption) { $osName = ($osCaption -replace '^Microsoft\s+', '') -replace '\s+(Standard|Datacenter|Essentials|Enterprise|Pro|Professional|Home|Education)\b.*$', '' }

# One Win32_Processor instance per socket.
$sockets = $null; $cores = $null; $threads = $null; $cpuModel = $null
if ($cpus.Count -gt 0 -and $null -ne $cpus[0]) {
	$sockets = $cpus.Count
	$cores = ($cpus | Measure-Object -Property NumberOfCores -Sum).Sum
	$threads = ($cpus | Measure-Object -Property NumberOfLogicalProcessors -Sum).Sum
	$cpuModel = ($cpus[0].Name -replace '\s+', ' ').Trim()
}

$manufacturer = $null; $model = $null; $memory = $null
if ($null -ne $cs) {
	$manufacturer = $cs.Manufacturer
	$model = $cs.Model
	$memory = [int64]$cs.TotalPhysicalMemory
}
$serial = $null
if ($null -ne $bios) { $serial = $bios.SerialNumber }

# Virtual machines by what the firmware says (HypervisorPresent is also true on a physical
# host running Hyper-V, so it is not used).
$isVirtual = $false
$hypervisor = $null
$hw = "$manufacturer $model"
if ($hw -match 'VMware') { $isVirtual = $true; $hypervisor = 'vmware' }
elseif ($hw -match 'Microsoft Corporation Virtual Machine') { $isVirtual = $true; $hypervisor = 'hyperv' }
elseif ($hw -match 'VirtualBox|innotek') { $isVirtual = $true; $hypervisor = 'virtualbox' }
elseif ($hw -match 'QEMU|KVM|Red Hat|oVirt|Nutanix') { $isVirtual = $true; $hypervisor = 'kvm' }
elseif ($hw -match 'Xen|HVM domU') { $isVirtual = $true; $hypervisor = 'xen' }
elseif ($hw -match 'Amazon EC2') { $isVirtual = $true; $hypervisor = 'kvm' }
elseif ($hw -match 'Google Compute Engine') { $isVirtual = $true; $hypervisor = 'kvm' }
elseif ($hw -match 'Parallels') { $isVirtual = $true; $hypervisor = 'parallels' }

$ips = New-Object System.Collections.ArrayList
$adapters = @(Get-Safe { Get-CimInstance -ClassName Win32_NetworkAdapterConfiguration -Filter 'IPEnabled = TRUE' } 'IP addresses')
foreach ($a in $adapters) {
	if ($null -eq $a -or $null -eq $a.IPAddress) { continue }
	foreach ($ip in $a.IPAddress) {
		if ($ip -like 'fe80:*' -or $ip -like '127.*' -or $ip -eq '::1') { continue }
		if (-not $ips.Contains($ip)) { [void]$ips.Add($ip) }
	}
}

# ---- Uninstall keys -----------------------------------------------------------------------

$uninstall = New-Object System.Collections.ArrayList
foreach ($e in (Get-UninstallEntries $hklm 'HKEY_LOCAL_MACHINE' $uninstallPath 'HKLM')) { [void]$uninstall.Add($e) }
foreach ($e in (Get-UninstallEntries $hklm 'HKEY_LOCAL_MACHINE' $wowPath 'HKLM-WOW6432Node')) { [void]$uninstall.Add($e) }

# Every loaded user hive (logged-on users and services); unloaded profiles are not opened:
# loading a hive is a change to the machine.
$users = Get-Safe { [Microsoft.Win32.RegistryKey]::OpenBaseKey([Microsoft.Win32.RegistryHive]::Users,
		[Microsoft.Win32.RegistryView]::Registry64) } 'HKEY_USERS'
if ($null -ne $users) {
	foreach ($sid in $users.GetSubKeyNames()) {
		if ($sid -like '*_Classes') { continue }
		foreach ($e in (Get-UninstallEntries $users "HKEY_USERS\$sid" 'Software\Microsoft\Windows\CurrentVersion\Uninstall' "HKU\$sid")) { [void]$uninstall.Add($e) }
		foreach ($e in (Get-UninstallEntries $users "HKEY_USERS\$sid" 'Software\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall' "HKU\$sid\WOW6432Node")) { [void]$uninstall.Add($e) }
	}
}

# ---- features and AppX --------------------------------------------------------------------

$features = New-Object System.Collections.ArrayList
$isServer = ($null -ne $os -and $os.ProductType -ne 1)
if ($isServer -and (Get-Command -Name Get-WindowsFeature -ErrorAction SilentlyContinue)) {
	$wf = @(Get-Safe { Get-WindowsFeature | Where-Object { $_.Installed } } 'Get-WindowsFeature')
	foreach ($f in $wf) {
		if ($null -ne $f) { [void]$features.Add([ordered]@{ name = $f.Name; state = 'Installed' }) }
	}
} elseif (Get-Command -Name Get-WindowsOptionalFeature -ErrorAction SilentlyContinue) {
	$of = @(Get-Safe { Get-WindowsOptionalFeature -Online | Where-Object { $_.State -eq 'Enabled' } } 'Get-WindowsOptionalFeature')
	foreach ($f in $of) {
		if ($null -ne $f) { [void]$features.Add([ordered]@{ name = $f.FeatureName; state = 'Enabled' }) }
	}
}

$appx = New-Object System.Collections.ArrayList
if (Get-Command -Name Get-AppxPackage -ErrorAction SilentlyContinue) {
	$packages = @(Get-Safe { Get-AppxPackage -AllUsers } 'Get-AppxPackage -AllUsers')
	foreach ($p in $packages) {
		if ($null -eq $p) { continue }
		[void]$appx.Add([ordered]@{
			name              = $p.Name
			version           = [string]$p.Version
			publisher         = $p.Publisher
			architecture      = [string]$p.Architecture
			install_location  = $p.InstallLocation
			signature_kind    = [string]$p.SignatureKind
			is_framework      = [bool]$p.IsFramework
			package_full_name = $p.PackageFullName
		})
	}
}

# ---- output -------------------------------------------------------------------------------

$doc = [ordered]@{
	trueup_collector = 'windows'
	version          = 1
	collected_at     = (Get-Date).ToString('o')
	host             = [ordered]@{
		hostname        = $hostname
		fqdn            = $fqdn
		domain          = $domain
		machine_guid    = $machineGuid
		os_name         = $osName
		os_version      = $osVersion
		os_build        = $osBuild
		os_edition      = $editionId
		os_caption      = $osCaption
		os_architecture = $osArch
		cpu             = [ordered]@{
			sockets = $sockets
			cores   = $cores
			threads = $threads
			model   = $cpuModel
		}
		memory_bytes    = $memory
		manufacturer    = $manufacturer
		model           = $model
		serial          = $serial
		is_virtual      = $isVirtual
		hypervisor      = $hypervisor
		ip_addresses    = @($ips)
	}
	uninstall        = @($uninstall)
	features         = @($features)
	appx             = @($appx)
}

$json = ConvertTo-Json -InputObject $doc -Depth 6 -Compress
if ($Stdout) {
	[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false
	[Console]::Out.Write($json)
} else {
	$file = Join-Path (Resolve-Path $OutputDirectory) ("$hostname.trueup.json")
	# UTF-8 without BOM whatever the PowerShell version ("Out-File -Encoding utf8" adds one in 5.1)
	[System.IO.File]::WriteAllText($file, $json, (New-Object System.Text.UTF8Encoding $false))
	Write-Output $file
}
