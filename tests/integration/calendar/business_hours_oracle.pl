#!/usr/bin/perl
# Answers business-time questions with Business::Hours (Debian libbusiness-hours-perl, the
# engine behind RT's SLA module), as an independent oracle for BusinessCalendar.
# Hours: Monday to Friday 08:30-17:00 in the process's local time zone (set TZ), no
# holidays. Reads one question per line on stdin, writes one integer per line:
#   add START SECONDS     -> Business::Hours::add_seconds (epoch seconds, -1 if none)
#   between FROM TO       -> Business::Hours::between, which counts FROM..TO inclusively
use strict;
use warnings;
use Business::Hours;

my %hours = map { $_ => { Name => "day $_", Start => '08:30', End => '17:00' } } 1 .. 5;
$hours{0} = { Name => 'Sunday',   Start => undef, End => undef };
$hours{6} = { Name => 'Saturday', Start => undef, End => undef };

$| = 1;
while (my $line = <STDIN>) {
    chomp $line;
    next if $line eq '';
    my ($op, $a, $b) = split ' ', $line;
    # A fresh object per question: between() answers from the span the last call computed.
    my $bh = Business::Hours->new();
    $bh->business_hours(%hours);
    if ($op eq 'add') {
        print $bh->add_seconds($a, $b), "\n";
    } elsif ($op eq 'between') {
        $bh->for_timespan(Start => $a, End => $b);
        print $bh->between($a, $b), "\n";
    } else {
        die "business_hours_oracle: unknown question '$line'\n";
    }
}
