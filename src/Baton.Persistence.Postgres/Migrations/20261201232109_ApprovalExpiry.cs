using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expires_at",
                table: "run_approvals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "approval_expiry_hours",
                table: "projects",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_run_approvals_expiry",
                table: "run_approvals",
                column: "expires_at",
                filter: "outcome = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_run_approvals_expiry",
                table: "run_approvals");

            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "run_approvals");

            migrationBuilder.DropColumn(
                name: "approval_expiry_hours",
                table: "projects");
        }
    }
}
